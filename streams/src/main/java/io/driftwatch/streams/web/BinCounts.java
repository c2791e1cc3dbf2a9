package io.driftwatch.streams.web;

import java.util.Arrays;

/**
 * Counts of values in equal-width bins over [min, max] (the web view's score distributions, not a
 * Prometheus histogram); values outside are counted in the end bins. Fixed bins make the counts of
 * several instances add up.
 */
public record BinCounts(double min, double max, long[] counts) {

  public static BinCounts empty(double min, double max, int bins) {
    return new BinCounts(min, max, new long[bins]);
  }

  public void add(double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    int bin = (int) Math.floor((value - min) / (max - min) * counts.length);
    counts[Math.max(0, Math.min(counts.length - 1, bin))]++;
  }

  /** The sum of two histograms of the same bins. */
  public BinCounts plus(BinCounts other) {
    if (other.counts.length != counts.length || other.min != min || other.max != max) {
      throw new IllegalArgumentException("histograms of different bins");
    }
    long[] sum = Arrays.copyOf(counts, counts.length);
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.counts[i];
    }
    return new BinCounts(min, max, sum);
  }

  public long total() {
    return Arrays.stream(counts).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinCounts h && h.min == min && h.max == max && Arrays.equals(h.counts, counts);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(min) * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "BinCounts[" + min + ".." + max + " " + Arrays.toString(counts) + "]";
  }
}
