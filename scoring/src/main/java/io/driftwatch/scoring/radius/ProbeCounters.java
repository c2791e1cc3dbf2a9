package io.driftwatch.scoring.radius;

import java.util.concurrent.atomic.AtomicLong;

/** What a probe has cost so far; read by progress displays from other threads. */
public final class ProbeCounters {

  final AtomicLong requests = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong failedAttempts = new AtomicLong();
  final AtomicLong tokensSent = new AtomicLong();

  /** Requests sent, retries included. */
  public long requests() {
    return requests.get();
  }

  /** Attempts that were repeats of a failed one. */
  public long retries() {
    return retries.get();
  }

  /** Attempts that failed (connection error, timeout, 429, 5xx, or a refused request). */
  public long failedAttempts() {
    return failedAttempts.get();
  }

  /** Prompt tokens sent, counted in the samples' tokens. */
  public long tokensSent() {
    return tokensSent.get();
  }
}
