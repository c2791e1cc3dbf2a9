package io.driftwatch.scoring.compare;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Histograms of one score for several runs over the same bins (from the smallest to the largest value of
 * any run), so that they can be drawn on one axis and their counts compared bin by bin.
 *
 * @param lower the lower edge of the first bin
 * @param width the width of every bin
 * @param counts run label to its count per bin; the last bin includes its upper edge
 */
public record SharedHistogram(double lower, double width, Map<String, long[]> counts) {

  public static SharedHistogram of(Map<String, double[]> runs, int bins) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] values : runs.values()) {
      for (double v : values) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    // One value everywhere still gets a bin of some width, centred on it.
    double width = hi > lo ? (hi - lo) / bins : Math.max(Math.abs(lo), 1) * 1e-3;
    if (hi == lo) {
      lo -= width * bins / 2.0;
    }
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> run : runs.entrySet()) {
      long[] c = new long[bins];
      for (double v : run.getValue()) {
        c[Math.min(bins - 1, Math.max(0, (int) Math.floor((v - lo) / width)))]++;
      }
      counts.put(run.getKey(), c);
    }
    return new SharedHistogram(lo, width, counts);
  }

  public int bins() {
    return counts.values().iterator().next().length;
  }
}
