package io.driftwatch.streams.probe;

import io.driftwatch.scoring.radius.TokenBudget;
import java.util.function.LongSupplier;

/**
 * A token budget that starts afresh every clock hour: the live probe runs for as long as the monitor
 * does, so a single budget would run out once and never measure again.
 */
final class HourlyTokenBudget {

  private static final long HOUR_MILLIS = 3_600_000L;

  private final long perHour;
  private final LongSupplier nowMillis;
  private long hour = Long.MIN_VALUE;
  private TokenBudget current;

  HourlyTokenBudget(long perHour, LongSupplier nowMillis) {
    this.perHour = perHour;
    this.nowMillis = nowMillis;
  }

  /** This hour's budget; what a probe reserves from it counts until the hour ends. */
  synchronized TokenBudget current() {
    long now = Math.floorDiv(nowMillis.getAsLong(), HOUR_MILLIS);
    if (now != hour) {
      hour = now;
      current = new TokenBudget(perHour);
    }
    return current;
  }
}
