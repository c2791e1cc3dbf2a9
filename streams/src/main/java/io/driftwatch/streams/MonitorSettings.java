package io.driftwatch.streams;

import io.driftwatch.scoring.stats.StatsSettings;
import java.time.Duration;

/**
 * What the monitor computes and when it gives up on a generation.
 *
 * @param stats settings of the per-generation statistics
 * @param idleTimeout a generation with no event for this long is closed with reason {@code idle}
 * @param idleCheckInterval how often the idle check runs (wall-clock)
 */
public record MonitorSettings(StatsSettings stats, Duration idleTimeout, Duration idleCheckInterval) {

  public static final MonitorSettings DEFAULTS =
      new MonitorSettings(StatsSettings.DEFAULTS, Duration.ofSeconds(60), Duration.ofSeconds(1));

  public MonitorSettings withIdleTimeout(Duration idleTimeout) {
    return new MonitorSettings(stats, idleTimeout, idleCheckInterval);
  }
}
