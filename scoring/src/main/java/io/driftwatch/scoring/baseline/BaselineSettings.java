package io.driftwatch.scoring.baseline;

import java.util.Map;

/**
 * Where each model's baseline comes from (docs/scores.md, Baselines).
 *
 * @param warmupGenerations N: a learned baseline is ready after this many generations of the model;
 *     until then the model's records carry no percentiles and percentile rules stay silent
 * @param run null to learn from each model's first N generations and then freeze; or the run id of a
 *     named baseline run, whose generations alone are learned from (ready after N of them, and it goes
 *     on learning from that run, which is declared normal)
 * @param fixed baselines made offline ({@code driftwatch calibrate}), by model: used as they are, never
 *     learned into; models not in it learn their own
 */
public record BaselineSettings(int warmupGenerations, String run, Map<String, ModelBaseline> fixed) {

  public static final int DEFAULT_WARMUP = 500;

  public static final BaselineSettings DEFAULTS = new BaselineSettings(DEFAULT_WARMUP, null, Map.of());

  public BaselineSettings {
    if (warmupGenerations < 1) {
      throw new IllegalArgumentException("the baseline warm-up needs at least 1 generation, got " + warmupGenerations);
    }
    if (run != null && run.isBlank()) {
      run = null;
    }
    fixed = Map.copyOf(fixed);
  }
}
