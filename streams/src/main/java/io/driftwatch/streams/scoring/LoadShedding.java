package io.driftwatch.streams.scoring;

import java.time.Duration;

/**
 * The bounds of semantic load shedding (docs/scores.md, Load shedding): when the sentences waiting for
 * the model would take longer than {@code shedAbove} to drain at the model's measured rate, generations
 * that start from then on are scored without semantic scores, except a hash-chosen sample the model can
 * keep up with; once the wait falls below {@code recoverBelow}, every new generation is scored again.
 *
 * @param shedAbove backlog, in seconds of model work, above which shedding starts
 * @param recoverBelow backlog below which it stops; lower than {@code shedAbove}, so that a backlog
 *     hovering near one bound does not switch it on and off at every measurement
 * @param interval how often the rates are measured and the bounds checked (wall clock)
 */
public record LoadShedding(Duration shedAbove, Duration recoverBelow, Duration interval) {

  public static final LoadShedding DEFAULTS = new LoadShedding(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1));

  public LoadShedding {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the load-shedding interval must be positive, got " + interval);
    }
    if (recoverBelow.isNegative() || recoverBelow.compareTo(shedAbove) >= 0) {
      throw new IllegalArgumentException("load shedding recovers below a backlog smaller than the one it starts above, got "
          + recoverBelow + " and " + shedAbove);
    }
  }
}
