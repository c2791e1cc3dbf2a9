package io.driftwatch.scoring.compare;

import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Quantile;
import org.apache.commons.statistics.descriptive.Statistic;

/** A score's distribution in one run: count, mean, standard deviation and quantiles. */
public record Distribution(int n, double mean, double sd, double min, double p05, double p25, double p50, double p75, double p95,
    double max) {

  private static final double[] PROBABILITIES = {0.05, 0.25, 0.5, 0.75, 0.95};

  public static Distribution of(double[] values) {
    if (values.length == 0) {
      return new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN);
    }
    DoubleStatistics s = DoubleStatistics.of(java.util.EnumSet.of(Statistic.MEAN, Statistic.STANDARD_DEVIATION, Statistic.MIN,
        Statistic.MAX), values);
    // Quantile sorts a copy of its input unless told it may reorder; the caller's array is kept.
    double[] q = Quantile.withDefaults().evaluate(values.clone(), PROBABILITIES);
    return new Distribution(values.length, s.getAsDouble(Statistic.MEAN), values.length > 1 ? s.getAsDouble(Statistic.STANDARD_DEVIATION) : 0,
        s.getAsDouble(Statistic.MIN), q[0], q[1], q[2], q[3], q[4], s.getAsDouble(Statistic.MAX));
  }
}
