package io.driftwatch.producers.tap;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.EventSink;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a response's events as the tap always does, and shows each to the in-process guard: a
 * trip becomes the response's stop decision. With the Kafka path on, it also registers the response's
 * generations as in flight from their start to their end, where alerts from the monitor find them. The guard can never break the relay or the publishing:
 * an exception from it switches the guard off for this response (counted, logged by type only).
 */
final class GuardingSink implements EventSink {

  private static final Logger log = LoggerFactory.getLogger(GuardingSink.class);

  private final EventSink sink;
  private final TapGuard guard;
  private final ResponseGuard response;
  private final TapMetrics metrics;
  private final Map<String, TapGuard.Session> sessions = new HashMap<>();
  private boolean failed;

  GuardingSink(EventSink sink, TapGuard guard, ResponseGuard response, TapMetrics metrics) {
    this.sink = sink;
    this.guard = guard;
    this.response = response;
    this.metrics = metrics;
  }

  @Override
  public void publish(GenerationEvent event) {
    sink.publish(event);
    InFlightGenerations inFlight = response.settings().inFlight();
    if (inFlight != null) {
      if (event instanceof GenerationEvent.Start) {
        inFlight.add(event.generationId(), response);
      } else if (event instanceof GenerationEvent.End) {
        inFlight.remove(event.generationId(), response);
      }
    }
    if (failed || guard == null || event instanceof GenerationEvent.End) {
      return;
    }
    try {
      observe(event);
    } catch (RuntimeException e) {
      failed = true;
      metrics.guardError();
      log.warn("the in-process guard failed with {}; this response is relayed unguarded", e.getClass().getName());
    }
  }

  @Override
  public Clock clock() {
    return sink.clock();
  }

  private void observe(GenerationEvent event) {
    String id = event.generationId();
    TapGuard.Session session = sessions.computeIfAbsent(id, k -> guard.open());
    Optional<TapGuard.Trip> trip = session.accept(event);
    if (trip.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    String token = event instanceof GenerationEvent.Token t ? t.text() : "";
    response.decide(new StopDecision(id, trip.get().rule(), GenerationEvent.Guard.IN_PROCESS, trip.get().seq(), token, now));
  }
}
