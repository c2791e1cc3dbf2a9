package io.driftwatch.producers.tap;

import io.driftwatch.producers.metrics.BoundedLabel;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The tap's Prometheus metrics, in a registry of their own so that a process can run several taps (the
 * tests do) without their counts mixing.
 */
public final class TapMetrics {

  /** Upper bounds of the relay-time histogram: the tap should add microseconds, not milliseconds. */
  static final double[] RELAY_BUCKETS = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1};

  private final PrometheusRegistry registry;
  private final BoundedLabel paths = new BoundedLabel(50);
  private final Counter requests;
  private final Counter generations;
  private final Counter parseErrors;
  private final Counter upstreamFailures;
  private final Counter clientDisconnects;
  private final Gauge activeRequests;
  private final Histogram chunkRelaySeconds;
  private final Counter guardTrips;
  private final Histogram guardTokensAfter;
  private final Counter guardMaxTokensLeft;
  private final Histogram guardDecisionSeconds;
  private final Counter guardErrors;
  private final Gauge guardKafkaUp;

  /** Tokens the client got after the tripping token: the in-process path should stay within a few. */
  static final double[] TOKENS_AFTER_BUCKETS = {0, 1, 2, 5, 10, 20, 50, 100, 500, 2000};

  /** @param publisherStats counts of the publisher that takes the tap's events, read at each scrape */
  public TapMetrics(PrometheusRegistry registry, Supplier<TokenStreamPublisher.Stats> publisherStats) {
    this.registry = registry;
    requests = Counter.builder().name("driftwatch_tap_requests_total")
        .help("Requests relayed by the tap, by path (monitored paths whole, others by their first two segments) and the status "
            + "the client got (502 when the upstream was unreachable)")
        .labelNames("path", "status").register(registry);
    generations = Counter.builder().name("driftwatch_tap_generations_total")
        .help("Generations the tap published (one per choice of a monitored response), by endpoint and mode (stream or json)")
        .labelNames("endpoint", "mode").register(registry);
    parseErrors = Counter.builder().name("driftwatch_tap_parse_errors_total")
        .help("Parts of monitored traffic the tap could not read (the bytes still reached the client), by reason")
        .labelNames("reason").register(registry);
    upstreamFailures = Counter.builder().name("driftwatch_tap_upstream_failures_total")
        .help("Upstream failures: unreachable (the client got a 502) or broken (the response broke off mid-body)")
        .labelNames("kind").register(registry);
    clientDisconnects = Counter.builder().name("driftwatch_tap_client_disconnects_total")
        .help("Responses cut short because the client went away before the end").register(registry);
    activeRequests = Gauge.builder().name("driftwatch_tap_active_requests")
        .help("Requests being relayed now").register(registry);
    chunkRelaySeconds = Histogram.builder().name("driftwatch_tap_chunk_relay_seconds")
        .help("Time the tap adds per relayed chunk: from reading a chunk's bytes from the upstream to having written and "
            + "flushed them to the client")
        .unit(Unit.SECONDS).classicUpperBounds(RELAY_BUCKETS).register(registry);
    guardTrips = Counter.builder().name("driftwatch_tap_guard_trips_total")
        .help("Generations for which a guarded rule tripped, by rule, decision path (in_process or kafka) and action: stopped (the "
            + "stream was ended and the upstream request cancelled), dry_run (recorded only), ended_first (the generation ended in "
            + "the same piece of the stream)")
        .labelNames("rule", "path", "action").register(registry);
    guardTokensAfter = Histogram.builder().name("driftwatch_tap_guard_tokens_after_trip")
        .help("Tokens the client received after the tripping token: until the cancel (stopped), or until the real end (dry_run, "
            + "the tokens a stop would have saved)")
        .labelNames("path", "action").classicUpperBounds(TOKENS_AFTER_BUCKETS).register(registry);
    guardMaxTokensLeft = Counter.builder().name("driftwatch_tap_guard_max_tokens_left_total")
        .help("Of stopped generations whose request set max_tokens: the tokens the model could still have generated, the most "
            + "the stops saved")
        .labelNames("rule").register(registry);
    guardDecisionSeconds = Histogram.builder().name("driftwatch_tap_guard_decision_seconds")
        .help("Time from the tap seeing the tripping token to cancelling the upstream request, by decision path")
        .labelNames("path").unit(Unit.SECONDS).classicUpperBounds(RELAY_BUCKETS).register(registry);
    guardErrors = Counter.builder().name("driftwatch_tap_guard_errors_total")
        .help("Responses whose in-process guard failed; each was relayed on unguarded (the guard fails open)").register(registry);
    guardKafkaUp = Gauge.builder().name("driftwatch_tap_guard_kafka_up")
        .help("1 while the guard's Kafka path reads the alerts topic; 0 while it cannot (the tap relays on and the in-process "
            + "guard keeps working) and when the tap runs without that path")
        .register(registry);
    CounterWithCallback.builder().name("driftwatch_tap_events_accepted_total")
        .help("Generation events taken into the publisher's buffer, one per token as read from the traffic")
        .callback(cb -> cb.call(publisherStats.get().accepted())).register(registry);
    CounterWithCallback.builder().name("driftwatch_tap_events_published_total")
        .help("Generation event records acknowledged by Kafka; a chunk of coalesced tokens counts once")
        .callback(cb -> cb.call(publisherStats.get().sent())).register(registry);
    CounterWithCallback.builder().name("driftwatch_tap_tokens_published_total")
        .help("Tokens in the records acknowledged by Kafka; divided by events published, the tokens per record that "
            + "--chunk-linger coalesced")
        .callback(cb -> cb.call(publisherStats.get().tokensSent())).register(registry);
    CounterWithCallback.builder().name("driftwatch_tap_events_dropped_total")
        .help("Generation events dropped because the publisher's buffer was full (Kafka slow or down); the traffic was not held up")
        .callback(cb -> cb.call(publisherStats.get().dropped())).register(registry);
    CounterWithCallback.builder().name("driftwatch_tap_events_failed_total")
        .help("Generation events Kafka did not take (unreachable, timed out, rejected) or still buffered at shutdown")
        .callback(cb -> cb.call(publisherStats.get().failed())).register(registry);
    GaugeWithCallback.builder().name("driftwatch_tap_events_buffered")
        .help("Generation events waiting in the publisher's buffer")
        .callback(cb -> cb.call(publisherStats.get().buffered())).register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Serves the registry at {@code http://host:port/metrics}; port 0 picks a free one. */
  public HTTPServer serve(String host, int port) throws IOException {
    return HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
  }

  /** The metrics endpoint, answering other paths (the health probes) with {@code otherPaths}. */
  public HTTPServer serve(String host, int port, com.sun.net.httpserver.HttpHandler otherPaths) throws IOException {
    return HTTPServer.builder().hostname(host).port(port).registry(registry).defaultHandler(otherPaths).buildAndStart();
  }

  /** Requests relayed so far, all paths and statuses together: for a summary at shutdown. */
  public long requestCount() {
    return total(requests);
  }

  /** Generations published so far, all endpoints together. */
  public long generationCount() {
    return total(generations);
  }

  private static long total(Counter counter) {
    return Math.round(counter.collect().getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum());
  }

  void request(String rawPath, boolean monitored, int status) {
    requests.labelValues(paths.of(pathLabel(rawPath, monitored)), String.valueOf(status)).inc();
  }

  void generation(Endpoint endpoint, boolean streamed) {
    generations.labelValues(endpoint.label(), streamed ? "stream" : "json").inc();
  }

  void parseError(String reason) {
    parseErrors.labelValues(reason).inc();
  }

  void upstreamFailure(String kind) {
    upstreamFailures.labelValues(kind).inc();
  }

  void clientDisconnect() {
    clientDisconnects.inc();
  }

  void requestStarted() {
    activeRequests.inc();
  }

  void requestFinished() {
    activeRequests.dec();
  }

  void chunkRelayed(long nanos) {
    chunkRelaySeconds.observe(nanos / 1e9);
  }

  void guardTrip(StopDecision decision, String action, long tokensAfter) {
    guardTrips.labelValues(decision.rule(), decision.path(), action).inc();
    guardTokensAfter.labelValues(decision.path(), action).observe(tokensAfter);
  }

  void guardStopped(StopDecision decision, long tokensAfter, Long maxTokensLeft, long decisionNanos) {
    guardTrip(decision, io.driftwatch.contract.GenerationEvent.Guard.STOPPED, tokensAfter);
    if (maxTokensLeft != null) {
      guardMaxTokensLeft.labelValues(decision.rule()).inc(maxTokensLeft);
    }
    guardDecisionSeconds.labelValues(decision.path()).observe(decisionNanos / 1e9);
  }

  void guardKafkaUp(boolean up) {
    guardKafkaUp.set(up ? 1 : 0);
  }

  void guardError() {
    guardErrors.inc();
  }

  Histogram chunkRelaySeconds() {
    return chunkRelaySeconds;
  }

  /** Monitored paths whole; others cut to two segments, so ids in paths (/v1/files/file-abc) do not become labels. */
  static String pathLabel(String rawPath, boolean monitored) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    if (monitored) {
      return rawPath;
    }
    int first = rawPath.indexOf('/', 1);
    int second = first < 0 ? -1 : rawPath.indexOf('/', first + 1);
    return second < 0 ? rawPath : rawPath.substring(0, second);
  }
}
