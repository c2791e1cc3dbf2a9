package io.driftwatch.scoring.compare;

import java.util.SplittableRandom;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Quantile;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * How one score differs between a run and the baseline run.
 *
 * @param meanDifference the run's mean minus the baseline's
 * @param low lower end of the bootstrap confidence interval of {@code meanDifference}
 * @param high upper end of it
 * @param cliffsDelta effect size: P(run &gt; baseline) - P(run &lt; baseline) for a value drawn from each, in
 *     [-1, 1]; 0 when neither tends to be larger (ties count half)
 * @param rankTestP two-sided p-value of the Mann-Whitney U test
 */
public record Difference(String score, String baseline, String run, int baselineN, int runN, double meanDifference, double low,
    double high, double cliffsDelta, double rankTestP) {

  /** Whether the interval excludes zero: the difference the report flags. */
  public boolean flagged() {
    return low > 0 || high < 0;
  }

  /**
   * @param resamples bootstrap resamples (each draws both runs anew, with replacement)
   * @param confidence the interval's coverage, e.g. 0.95
   * @param random the resampling's randomness; seeded, so a report is reproducible
   */
  public static Difference of(String score, String baseline, double[] base, String run, double[] values, int resamples,
      double confidence, SplittableRandom random) {
    if (base.length == 0 || values.length == 0) {
      return new Difference(score, baseline, run, base.length, values.length, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double observed = Mean.of(values).getAsDouble() - Mean.of(base).getAsDouble();
    double[] boot = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      boot[b] = resampledMean(values, random) - resampledMean(base, random);
    }
    double alpha = (1 - confidence) / 2;
    double[] interval = Quantile.withDefaults().evaluate(boot, alpha, 1 - alpha);
    SignificanceResult u = MannWhitneyUTest.withDefaults().test(values, base);
    // U counts pairs where the run's value is larger, ties as half: Cliff's delta follows from it.
    double delta = 2 * u.getStatistic() / ((double) values.length * base.length) - 1;
    return new Difference(score, baseline, run, base.length, values.length, observed, interval[0], interval[1], delta, u.getPValue());
  }

  private static double resampledMean(double[] values, SplittableRandom random) {
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[random.nextInt(values.length)];
    }
    return sum / values.length;
  }
}
