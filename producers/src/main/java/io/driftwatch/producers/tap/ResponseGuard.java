package io.driftwatch.producers.tap;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The guard's state for one streamed response: the first stop decision for any of its generations,
 * and whether it is to be acted on. Set on the relay's thread by the in-process path (and, for the Kafka
 * path, on the thread reading alerts); read by the relay between chunks.
 */
final class ResponseGuard {

  private final GuardSettings settings;
  private final AtomicReference<StopDecision> decision = new AtomicReference<>();

  ResponseGuard(GuardSettings settings) {
    this.settings = settings;
  }

  GuardSettings settings() {
    return settings;
  }

  /** Records a decision; only the first of a response counts (one request, one cancel). */
  boolean decide(StopDecision stop) {
    return decision.compareAndSet(null, stop);
  }

  StopDecision decision() {
    return decision.get();
  }

  /**
   * Drops a decision that came too late to act on (its generation had ended first), so that a later
   * trip of another choice of the response still counts.
   */
  void release(StopDecision stale) {
    decision.compareAndSet(stale, null);
  }

  /** The decision for this generation, if it was the one that tripped. */
  StopDecision decisionFor(String generationId) {
    StopDecision d = decision.get();
    return d != null && d.generationId().equals(generationId) ? d : null;
  }

  /** Whether the relay must end the stream now. */
  boolean mustStop() {
    return !settings.dryRun() && decision.get() != null;
  }
}
