package io.driftwatch.streams;

import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic stand-in for the sentence model: each lower-cased word adds a hashed direction, and
 * the vector is scaled to unit length. Sentences sharing words come out similar, so semantic scores
 * move as they would, and the offline twin computes exactly the same vectors.
 */
public final class HashedWords implements SentenceEncoder {

  private static final int DIMENSIONS = 32;

  @Override
  public float[][] encode(List<String> sentences) {
    float[][] out = new float[sentences.size()][];
    for (int i = 0; i < out.length; i++) {
      float[] v = new float[DIMENSIONS];
      for (String word : sentences.get(i).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (!word.isEmpty()) {
          v[Math.floorMod(word.hashCode(), v.length)] += 1;
        }
      }
      double norm = 0;
      for (float f : v) {
        norm += f * f;
      }
      for (int d = 0; d < v.length; d++) {
        v[d] = norm == 0 ? 0 : (float) (v[d] / Math.sqrt(norm));
      }
      out[i] = v;
    }
    return out;
  }
}
