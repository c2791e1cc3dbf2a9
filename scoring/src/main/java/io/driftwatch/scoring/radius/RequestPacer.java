package io.driftwatch.scoring.radius;

import java.util.function.LongSupplier;

/**
 * Spaces request starts at least {@code 1/rate} seconds apart, retries included, so the probe stays
 * below a server's rate limit instead of discovering it through 429s. Bursts are not allowed: a probe
 * is background work and has no reason to catch up after a pause.
 */
public final class RequestPacer {

  /** Waits; {@link Thread#sleep} in production, a recorded fake clock in tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long next = Long.MIN_VALUE;

  public RequestPacer(double requestsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("the request rate must be a positive number of requests per second, not " + requestsPerSecond);
    }
    this.intervalNanos = Math.max(1, Math.round(1e9 / requestsPerSecond));
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  public static RequestPacer realTime(double requestsPerSecond) {
    return new RequestPacer(requestsPerSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /** Returns when the next request may start. */
  public synchronized void await() throws InterruptedException {
    long now = nanoTime.getAsLong();
    if (next != Long.MIN_VALUE && next - now > 0) {
      sleeper.sleepNanos(next - now);
      now = next;
    }
    next = now + intervalNanos;
  }
}
