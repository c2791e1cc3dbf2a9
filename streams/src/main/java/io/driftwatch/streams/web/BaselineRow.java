package io.driftwatch.streams.web;

import io.driftwatch.scoring.baseline.BaselineStatus;
import java.util.Map;

/**
 * One model's baseline in one scoring task, as {@code /api/baselines} lists it. Each task learns its own
 * (docs/scores.md, Baselines), so a model has a row per task that scored it; a file's baseline is the
 * same in every task and is listed once, with partition -1.
 *
 * @param partition the input partition of the task that holds it, -1 for a file's
 * @param quantiles by score, its generation maximum at the 50th, 90th, 99th and 99.5th percentiles; empty while warming up
 */
record BaselineRow(String model, int partition, String source, int generations, int warmup, boolean ready,
    Map<String, Map<String, Double>> quantiles) {

  static BaselineRow of(int partition, BaselineStatus status) {
    return new BaselineRow(status.model(), partition, status.source(), status.generations(), status.warmup(), status.ready(),
        status.quantiles());
  }

  /** The baselines an instance holds, and which instances were asked. */
  record Listing(java.util.List<BaselineRow> baselines, Overview.Instances instances) {}
}
