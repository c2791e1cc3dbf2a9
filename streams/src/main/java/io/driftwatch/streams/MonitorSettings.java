package io.driftwatch.streams;

import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.engine.ScoringSettings;
import java.time.Duration;

/**
 * What the monitor computes and when it gives up on a generation.
 *
 * @param scoring window sizes, thresholds and alert rules of the scoring engine
 * @param idleTimeout a generation with no event for this long is closed with reason {@code idle}
 * @param idleCheckInterval how often the idle check runs (wall clock)
 * @param closedRetention how long closed generations are remembered, so that their late events are
 *     dead-lettered rather than opening them again
 * @param baseline where each model's baseline comes from (docs/scores.md, Baselines)
 */
public record MonitorSettings(ScoringSettings scoring, Duration idleTimeout, Duration idleCheckInterval, Duration closedRetention,
    BaselineSettings baseline) {

  public static final MonitorSettings DEFAULTS =
      new MonitorSettings(ScoringSettings.DEFAULTS, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1));

  /** With the default baselines (each model's first {@value BaselineSettings#DEFAULT_WARMUP} generations). */
  public MonitorSettings(ScoringSettings scoring, Duration idleTimeout, Duration idleCheckInterval, Duration closedRetention) {
    this(scoring, idleTimeout, idleCheckInterval, closedRetention, BaselineSettings.DEFAULTS);
  }

  public MonitorSettings withIdleTimeout(Duration idleTimeout) {
    return new MonitorSettings(scoring, idleTimeout, idleCheckInterval, closedRetention, baseline);
  }

  public MonitorSettings withScoring(ScoringSettings scoring) {
    return new MonitorSettings(scoring, idleTimeout, idleCheckInterval, closedRetention, baseline);
  }

  public MonitorSettings withBaseline(BaselineSettings baseline) {
    return new MonitorSettings(scoring, idleTimeout, idleCheckInterval, closedRetention, baseline);
  }
}
