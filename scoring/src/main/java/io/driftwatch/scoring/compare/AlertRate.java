package io.driftwatch.scoring.compare;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The share of a run's generations for which an alert rule fired, with a Wilson score interval (which,
 * unlike the plain normal one, stays inside [0, 1] and is sound at rates near 0).
 */
public record AlertRate(String rule, String run, int alerted, int generations, double rate, double low, double high) {

  public static AlertRate of(String rule, String run, int alerted, int generations, double confidence) {
    if (generations == 0) {
      return new AlertRate(rule, run, 0, 0, Double.NaN, 0, 1);
    }
    double z = NormalDistribution.of(0, 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
    double n = generations;
    double p = alerted / n;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    // At 0 or all, the bound on that side is exactly 0 or 1; the formula gets there only up to rounding.
    return new AlertRate(rule, run, alerted, generations, p, alerted == 0 ? 0 : Math.max(0, centre - half),
        alerted == generations ? 1 : Math.min(1, centre + half));
  }
}
