package io.driftwatch.streams;

import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.engine.ScoringSettings;
import java.time.Duration;

/**
 * What the monitor computes, when it gives up on a generation, and how much heap it keeps states in.
 *
 * @param scoring window sizes, thresholds and alert rules of the scoring engine
 * @param idleTimeout a generation with no event for this long is closed with reason {@code idle}
 * @param idleCheckInterval how often the idle check runs (wall clock)
 * @param closedRetention how long closed generations are remembered, so that their late events are
 *     dead-lettered rather than opening them again
 * @param baseline where each model's baseline comes from (docs/scores.md, Baselines)
 * @param liveStateHeapPercent share of the JVM's maximum heap, in percent, for the open generations'
 *     states kept live between commits, split among the instance's scoring tasks (docs/memory.md)
 */
public record MonitorSettings(ScoringSettings scoring, Duration idleTimeout, Duration idleCheckInterval, Duration closedRetention,
    BaselineSettings baseline, int liveStateHeapPercent) {

  /** Default share of the heap for live states, in percent. */
  public static final int DEFAULT_LIVE_STATE_HEAP_PERCENT = 25;
  /** Most of the heap live states may be given, in percent: the rest is Kafka's, the model's, the JVM's. */
  public static final int MAX_LIVE_STATE_HEAP_PERCENT = 80;

  public static final MonitorSettings DEFAULTS =
      new MonitorSettings(ScoringSettings.DEFAULTS, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1));

  public MonitorSettings {
    if (liveStateHeapPercent < 1 || liveStateHeapPercent > MAX_LIVE_STATE_HEAP_PERCENT) {
      throw new IllegalArgumentException("the live states' share of the heap must be 1 to " + MAX_LIVE_STATE_HEAP_PERCENT
          + " percent, was " + liveStateHeapPercent);
    }
  }

  /**
   * With the default baselines (each model's first {@value BaselineSettings#DEFAULT_WARMUP} generations)
   * and the default share of the heap for live states.
   */
  public MonitorSettings(ScoringSettings scoring, Duration idleTimeout, Duration idleCheckInterval, Duration closedRetention) {
    this(scoring, idleTimeout, idleCheckInterval, closedRetention, BaselineSettings.DEFAULTS, DEFAULT_LIVE_STATE_HEAP_PERCENT);
  }

  public MonitorSettings withIdleTimeout(Duration idleTimeout) {
    return new MonitorSettings(scoring, idleTimeout, idleCheckInterval, closedRetention, baseline, liveStateHeapPercent);
  }

  public MonitorSettings withScoring(ScoringSettings scoring) {
    return new MonitorSettings(scoring, idleTimeout, idleCheckInterval, closedRetention, baseline, liveStateHeapPercent);
  }

  public MonitorSettings withBaseline(BaselineSettings baseline) {
    return new MonitorSettings(scoring, idleTimeout, idleCheckInterval, closedRetention, baseline, liveStateHeapPercent);
  }

  public MonitorSettings withLiveStateHeapPercent(int percent) {
    return new MonitorSettings(scoring, idleTimeout, idleCheckInterval, closedRetention, baseline, percent);
  }
}
