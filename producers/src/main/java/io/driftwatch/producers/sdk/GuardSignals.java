package io.driftwatch.producers.sdk;

import io.driftwatch.contract.AlertEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK's guard: a cancellation signal for an application's own generations when the monitor fires a
 * guarded rule for one of them (a loop, a verbatim copy, a drift rule), so the application can stop
 * generating as the tap's guard would.
 *
 * <pre>{@code
 * try (GuardSignals guard = GuardSignals.start("localhost:9092", Map.of(), "driftwatch.alerts", Set.of("loop", "topic_shift"))) {
 *   GenerationStream g = publisher.begin(info);
 *   CompletableFuture<AlertEvent> stop = guard.watch(g.generationId());
 *   stop.thenAccept(alert -> modelCall.cancel());          // or check stop.isDone() between tokens
 *   ...
 *   guard.forget(g.generationId());                          // once the generation ended
 * }
 * }</pre>
 *
 * <p>It reads the alerts topic through an {@link AlertFeed} (read_committed, from its end) and fails
 * open: while Kafka cannot be read no signal comes, and generation goes on ({@link #readable()}).
 */
public final class GuardSignals implements AutoCloseable {

  private final Set<String> rules;
  private final Map<String, CompletableFuture<AlertEvent>> watched = new ConcurrentHashMap<>();
  private final AlertFeed feed;
  private volatile boolean readable;

  private GuardSignals(Set<String> rules, String bootstrap, Map<String, ?> kafkaConfig, String alertsTopic) {
    this.rules = Set.copyOf(rules);
    this.feed = AlertFeed.start(bootstrap, kafkaConfig, alertsTopic, this::fired, up -> readable = up);
  }

  /**
   * Starts reading the alerts topic; returns at once, whether or not Kafka answers.
   *
   * @param rules the rules that signal a stop
   */
  public static GuardSignals start(String bootstrap, Map<String, ?> kafkaConfig, String alertsTopic, Set<String> rules) {
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("GuardSignals needs at least one rule");
    }
    return new GuardSignals(rules, bootstrap, kafkaConfig, alertsTopic);
  }

  /**
   * The stop signal of a generation: completes, on the feed's thread, with the first firing alert of a
   * guarded rule for it that is published from now on. Callbacks attached to it must not block.
   */
  public CompletableFuture<AlertEvent> watch(String generationId) {
    return watched.computeIfAbsent(generationId, id -> new CompletableFuture<>());
  }

  /** Stops watching a generation (it ended); its signal, if still pending, never completes. */
  public void forget(String generationId) {
    watched.remove(generationId);
  }

  /** Whether the alerts topic is being read: while false, no signal can come. */
  public boolean readable() {
    return readable;
  }

  private void fired(AlertEvent alert) {
    if (!rules.contains(alert.rule())) {
      return;
    }
    CompletableFuture<AlertEvent> signal = watched.remove(alert.generationId());
    if (signal != null) {
      signal.complete(alert);
    }
  }

  @Override
  public void close() {
    feed.close();
  }
}
