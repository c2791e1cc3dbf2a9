package io.driftwatch.scoring.engine;

import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.util.List;
import java.util.Locale;

/** A stand-in sentence encoder for tests: a normalised bag of letters. Deterministic, independent of batching, no model. */
final class LetterEncoder implements SentenceEncoder {

  @Override
  public float[][] encode(List<String> texts) {
    float[][] out = new float[texts.size()][26];
    for (int i = 0; i < texts.size(); i++) {
      double norm = 0;
      for (char c : texts.get(i).toLowerCase(Locale.ROOT).toCharArray()) {
        if (c >= 'a' && c <= 'z') {
          out[i][c - 'a']++;
        }
      }
      for (float f : out[i]) {
        norm += f * f;
      }
      for (int d = 0; d < 26; d++) {
        out[i][d] /= (float) Math.max(1e-9, Math.sqrt(norm));
      }
    }
    return out;
  }
}
