package io.driftwatch.benchmarks;

import java.util.Arrays;

/** The median the benchmarks report over their rounds: a run's outliers (a GC, a neighbour's build) move it least. */
public final class Medians {

  private Medians() {}

  /** The middle value, or the mean of the two middle ones for an even count. */
  public static double of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to take the median of");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
