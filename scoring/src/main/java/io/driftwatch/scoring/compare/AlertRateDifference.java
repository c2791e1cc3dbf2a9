package io.driftwatch.scoring.compare;

import org.apache.commons.statistics.inference.FisherExactTest;

/** Whether an alert rule fired for a different share of a run's generations than of the baseline's (Fisher's exact test). */
public record AlertRateDifference(String rule, String baseline, String run, double rateDifference, double p) {

  public static AlertRateDifference of(AlertRate baseline, AlertRate run) {
    int[][] table = {
      {run.alerted(), run.generations() - run.alerted()},
      {baseline.alerted(), baseline.generations() - baseline.alerted()}
    };
    double p = run.generations() == 0 || baseline.generations() == 0 ? Double.NaN : FisherExactTest.withDefaults().test(table).getPValue();
    return new AlertRateDifference(run.rule(), baseline.run(), run.run(), run.rate() - baseline.rate(), p);
  }
}
