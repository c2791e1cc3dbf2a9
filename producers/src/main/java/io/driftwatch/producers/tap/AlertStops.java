package io.driftwatch.producers.tap;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.AlertFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The guard's Kafka decision path: a firing alert of a guarded rule, read from the monitor's alerts
 * topic ({@link AlertFeed}: read_committed, from its end), for a generation the tap is relaying becomes
 * that stream's stop decision. Every rule the monitor evaluates can stop a stream this way, the
 * semantic ones included.
 *
 * <p>It fails open: while the alerts topic cannot be read the tap relays as before and the in-process
 * path keeps working; the outage is said once in the log and in {@code driftwatch_tap_guard_kafka_up}.
 */
public final class AlertStops implements AutoCloseable {

  private final AlertFeed feed;

  private AlertStops(AlertFeed feed) {
    this.feed = feed;
  }

  /** Starts reading {@code alertsTopic}; returns at once, whether or not Kafka answers. */
  public static AlertStops start(String bootstrap, Map<String, ?> kafkaConfig, String alertsTopic, Set<String> rules,
      InFlightGenerations inFlight, TapMetrics metrics, Clock clock) {
    Set<String> guarded = Set.copyOf(rules);
    return new AlertStops(AlertFeed.start(bootstrap, kafkaConfig, alertsTopic,
        alert -> stop(alert, guarded, inFlight, clock), metrics::guardKafkaUp));
  }

  private static void stop(AlertEvent alert, Set<String> rules, InFlightGenerations inFlight, Clock clock) {
    if (!rules.contains(alert.rule())) {
      return;
    }
    ResponseGuard guard = inFlight.get(alert.generationId());
    if (guard == null) {
      return; // not a stream this tap relays, or one that has ended
    }
    // The tripping token's time is the alert's event time, stamped by this tap's clock when it relayed
    // the token: the decision latency runs from there.
    long sinceToken = alert.eventTime() == null ? 0 : Math.max(0, Duration.between(alert.eventTime(), clock.instant()).toNanos());
    guard.decide(new StopDecision(alert.generationId(), alert.rule(), GenerationEvent.Guard.KAFKA, alert.lastSeq(), null,
        System.nanoTime() - sinceToken));
  }

  @Override
  public void close() {
    feed.close();
  }
}
