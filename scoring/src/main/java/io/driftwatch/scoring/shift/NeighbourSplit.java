package io.driftwatch.scoring.shift;

/**
 * The best split of a short sequence judged by each item's nearest neighbours: a split is a change
 * point when the items on each side find their closest items on their own side more often than a random
 * division into parts of the same sizes would.
 *
 * <p>Every item links to its K most similar other items (ties to the earlier item). For a split at k
 * (before = items [0, k), after = items [k, n)), {@code same(k)} counts the links that stay on one side.
 * Were the sides a random division, a link would stay with probability
 * {@code (k(k−1) + (n−k)(n−k−1)) / (n(n−1))}; the statistic is the excess over that expectation,
 * {@code (same(k) − K·(k(k−1) + (n−k)(n−k−1))/(n−1)) / sqrt(K·n)}. This is the k-nearest-neighbour
 * two-sample test (Schilling, "Multivariate two-sample tests based on nearest neighbors", 1986) scanned
 * over the split point, as in graph-based change-point detection (Chen and Zhang, "Graph-based
 * change-point detection", 2015).
 *
 * <p>Why neighbours rather than mean similarities ({@link ChangePoint}): a steady passage that turns
 * from narration to dialogue, or lists plants and then tells an anecdote, moves its mean embedding as
 * much as a splice does, but its sentences still find close neighbours across the turn; only a text
 * that continued somewhere else leaves each side with its own neighbourhood. docs/scores.md has the
 * measurements on real text.
 */
public final class NeighbourSplit {

  private NeighbourSplit() {}

  /**
   * @param sim symmetric similarities of n items, in order (only i &lt; j is read)
   * @param minBefore fewest items before a split
   * @param minAfter fewest items after it
   * @param neighbours K, the links of each item; there must be more than K items for a split
   */
  public static ChangePoint.Split best(double[][] sim, int n, int minBefore, int minAfter, int neighbours) {
    if (neighbours < 1) {
      throw new IllegalArgumentException("neighbours must be at least 1, not " + neighbours);
    }
    if (n <= neighbours) {
      return ChangePoint.Split.NONE;
    }
    int[][] links = nearest(sim, n, neighbours);
    ChangePoint.Split best = ChangePoint.Split.NONE;
    for (int k = Math.max(1, minBefore); k <= n - Math.max(1, minAfter); k++) {
      double s = statistic(links, n, k);
      if (best.at() < 0 || s > best.statistic()) {
        best = new ChangePoint.Split(s, k);
      }
    }
    return best;
  }

  /** The statistic of one split, given each item's links. */
  static double statistic(int[][] links, int n, int k) {
    int neighbours = links[0].length;
    int same = 0;
    for (int i = 0; i < n; i++) {
      for (int j : links[i]) {
        if ((i < k) == (j < k)) {
          same++;
        }
      }
    }
    double expected = neighbours * ((double) k * (k - 1) + (double) (n - k) * (n - k - 1)) / (n - 1);
    return (same - expected) / Math.sqrt((double) neighbours * n);
  }

  /** Each item's K most similar other items, most similar first; ties go to the earlier item. */
  static int[][] nearest(double[][] sim, int n, int neighbours) {
    int[][] links = new int[n][neighbours];
    for (int i = 0; i < n; i++) {
      int[] chosen = links[i];
      int count = 0;
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        double s = similarity(sim, i, j);
        // Insertion into the short sorted list: K is a handful, so this beats sorting the row.
        int at = count;
        while (at > 0 && similarity(sim, i, chosen[at - 1]) < s) {
          at--;
        }
        if (at < neighbours) {
          for (int m = Math.min(count, neighbours - 1); m > at; m--) {
            chosen[m] = chosen[m - 1];
          }
          chosen[at] = j;
          count = Math.min(count + 1, neighbours);
        }
      }
    }
    return links;
  }

  private static double similarity(double[][] sim, int i, int j) {
    return i < j ? sim[i][j] : sim[j][i];
  }
}
