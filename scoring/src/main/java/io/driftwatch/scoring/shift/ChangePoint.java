package io.driftwatch.scoring.shift;

/**
 * The best split of a short sequence into a "before" and an "after" that each hang together but differ
 * from each other: a two-sample statistic over the pairwise similarities of the items, maximised over
 * the split point.
 *
 * <p>For a split at k (before = items [0, k), after = items [k, n)), with mean pairwise similarities
 * W_b inside before, W_a inside after and C across the two, the energy distance of the two segments
 * (Székely and Rizzo, "Testing for equal distributions in high dimension", 2004) with the distance
 * 1 − similarity is {@code E(k) = 2C' − W_b' − W_a'} in distances, that is {@code 2·((W_b + W_a)/2 − C)}
 * in similarities. The statistic is the energy test's scaling of it,
 * {@code S(k) = sqrt(k·(n − k)/n) · ((W_b + W_a)/2 − C)}: about 0 when both segments come from one source,
 * growing with the evidence (the segments' sizes) when the text changed source at k, so that the best
 * split of a long steady text and of a short one are comparable. A segment of one item has no inner
 * pairs; its inner similarity is taken as the other segment's. The sequence is a bounded window, so a
 * reading costs O(n³) additions at most (n ≤ 65).
 */
public final class ChangePoint {

  private ChangePoint() {}

  /** The best split: its statistic and the index of the first item after it; NaN and -1 when none is allowed. */
  public record Split(double statistic, int at) {
    public static final Split NONE = new Split(Double.NaN, -1);
  }

  /**
   * @param sim symmetric similarities of n items, in order (only i &lt; j is read)
   * @param minBefore fewest items before a split
   * @param minAfter fewest items after it
   */
  public static Split best(double[][] sim, int n, int minBefore, int minAfter) {
    Split best = Split.NONE;
    for (int k = Math.max(1, minBefore); k <= n - Math.max(1, minAfter); k++) {
      double s = statistic(sim, n, k);
      if (best.at() < 0 || s > best.statistic()) {
        best = new Split(s, k);
      }
    }
    return best;
  }

  /** S(k) for one split. */
  public static double statistic(double[][] sim, int n, int k) {
    double within = meanWithin(sim, 0, k);
    double withinAfter = meanWithin(sim, k, n);
    if (Double.isNaN(within)) {
      within = withinAfter;
    }
    if (Double.isNaN(withinAfter)) {
      withinAfter = within;
    }
    double cross = 0;
    for (int i = 0; i < k; i++) {
      for (int j = k; j < n; j++) {
        cross += sim[i][j];
      }
    }
    cross /= (double) k * (n - k);
    return Double.isNaN(within) ? Double.NaN : Math.sqrt((double) k * (n - k) / n) * ((within + withinAfter) / 2 - cross);
  }

  private static double meanWithin(double[][] sim, int from, int to) {
    int pairs = 0;
    double sum = 0;
    for (int i = from; i < to; i++) {
      for (int j = i + 1; j < to; j++) {
        sum += sim[i][j];
        pairs++;
      }
    }
    return pairs == 0 ? Double.NaN : sum / pairs;
  }
}
