package io.driftwatch.cli;

import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence embeddings kept by text, in memory and optionally in a file between runs: a benchmark that
 * scores the same texts again (with other settings) then needs no model call. The file is written
 * anew at close, through a temporary file, so an interrupted run leaves the old one intact.
 */
final class EmbeddingCache implements SentenceEncoder, AutoCloseable {

  private final Path file;
  private final SentenceEncoder model;
  private final Map<String, float[]> known = new HashMap<>();
  private boolean changed;

  private EmbeddingCache(Path file, SentenceEncoder model) {
    this.file = file;
    this.model = model;
  }

  /** A cache in front of the model; {@code file} may be null (memory only) or missing (created). */
  static EmbeddingCache open(Path file, SentenceEncoder model) throws IOException {
    EmbeddingCache cache = new EmbeddingCache(file, model);
    if (file != null && Files.exists(file)) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
        while (true) {
          String text;
          try {
            text = in.readUTF();
          } catch (EOFException end) {
            break;
          }
          float[] v = new float[in.readInt()];
          for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
          }
          cache.known.put(text, v);
        }
      } catch (IOException e) {
        throw new UserFacingException("cannot read the embedding cache " + file + " (" + e.getMessage() + "); delete it to start anew");
      }
    }
    return cache;
  }

  @Override
  public float[][] encode(List<String> sentences) {
    List<String> missing = new ArrayList<>();
    for (String s : sentences) {
      if (!known.containsKey(s) && !missing.contains(s)) {
        missing.add(s);
      }
    }
    if (!missing.isEmpty()) {
      float[][] fresh = model.encode(missing);
      for (int i = 0; i < missing.size(); i++) {
        known.put(missing.get(i), fresh[i]);
      }
      changed = true;
    }
    float[][] out = new float[sentences.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = known.get(sentences.get(i));
    }
    return out;
  }

  @Override
  public void close() {
    if (file == null || !changed) {
      return;
    }
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        for (Map.Entry<String, float[]> e : known.entrySet()) {
          // writeUTF takes at most 65,535 bytes; sentences are cut well below that before they are embedded.
          out.writeUTF(e.getKey());
          out.writeInt(e.getValue().length);
          for (float f : e.getValue()) {
            out.writeFloat(f);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedding cache " + file, e);
    }
  }
}
