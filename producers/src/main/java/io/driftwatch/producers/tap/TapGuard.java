package io.driftwatch.producers.tap;

import io.driftwatch.contract.GenerationEvent;
import java.util.Optional;

/**
 * Decides inside the tap, from a generation's own events, when a guarded rule fires. The CLI backs it
 * with the scoring engine (io.driftwatch.scoring.guard.GuardEvaluator), so the tap needs no copy of
 * the rules and the decision is the monitor's, made without a Kafka round trip.
 */
public interface TapGuard {

  /** A fresh session for one generation; its events come in order, from one thread. */
  Session open();

  interface Session {
    /** Feeds one event the tap is about to publish; returns the trip the first time a guarded rule fires. */
    Optional<Trip> accept(GenerationEvent event);
  }

  /** A guarded rule fired at token {@code seq}. */
  record Trip(String rule, long seq) {}
}
