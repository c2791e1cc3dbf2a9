package io.driftwatch.scoring.degeneration;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The share of n-grams in a window of tokens that already occurred earlier in the same window.
 *
 * <p>0 for text that never repeats itself within the window, close to 1 for a model caught in a loop.
 * With w tokens there are w - n + 1 n-grams; the first occurrence of each is new, every later one is a
 * repetition. Undefined (NaN) when the window holds fewer than n tokens.
 */
public final class RepetitionRate {

  private RepetitionRate() {}

  public static double of(List<String> window, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    int grams = window.size() - n + 1;
    if (grams <= 0) {
      return Double.NaN;
    }
    Set<List<String>> seen = new HashSet<>(grams * 2);
    int repeated = 0;
    for (int i = 0; i < grams; i++) {
      if (!seen.add(window.subList(i, i + n))) {
        repeated++;
      }
    }
    return (double) repeated / grams;
  }
}
