package io.driftwatch.streams.view;

import java.time.Duration;

/**
 * How much of each generation the web view keeps, and for how long.
 *
 * @param retention a closed generation's view is dropped this long after its last record (wall clock)
 * @param maxClosedGenerations most closed generations kept per task; the oldest go first beyond it
 * @param maxTokens tokens kept per generation for the mosaic; later ones are counted but not kept
 * @param maxRecords score records, alerts and spans kept per generation, each
 */
public record ViewSettings(Duration retention, int maxClosedGenerations, int maxTokens, int maxRecords) {

  /** 30 minutes, 2,000 closed generations per task, 16,384 tokens and 4,096 records of each kind per generation. */
  public static final ViewSettings DEFAULTS = new ViewSettings(Duration.ofMinutes(30), 2_000, 16_384, 4_096);

  public ViewSettings {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("view retention must be positive");
    }
    if (maxClosedGenerations < 1 || maxTokens < 1 || maxRecords < 1) {
      throw new IllegalArgumentException("view limits must be at least 1");
    }
  }

  public ViewSettings withRetention(Duration r) {
    return new ViewSettings(r, maxClosedGenerations, maxTokens, maxRecords);
  }
}
