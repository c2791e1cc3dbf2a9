package io.driftwatch.streams.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the monitor is alive and whether it is doing its work, for probes ({@code /health/live},
 * {@code /health/ready} on the metrics endpoint), for Prometheus ({@code driftwatch_ready},
 * {@code driftwatch_kafka_reachable}, {@code driftwatch_seconds_since_commit}) and for people: one log
 * line each time Kafka becomes unreachable or reachable again.
 *
 * <p>Ready means: the streams application is RUNNING, Kafka answered the last probe, and the stream
 * threads committed within {@code stuckAfter} or have no input waiting (an idle monitor does not
 * commit and is not stuck). Live means the streams application is not in a terminal state.
 */
public final class MonitorHealth implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MonitorHealth.class);

  /** How often Kafka is asked who it is, and how long an answer may take. */
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  /** What a probe or a person learns. */
  public record Report(boolean live, boolean ready, String streamsState, boolean kafkaReachable, double secondsSinceCommit,
      long inputLag, List<String> reasons) {

    String json() {
      StringBuilder s = new StringBuilder("{\"live\":").append(live).append(",\"ready\":").append(ready)
          .append(",\"streams_state\":\"").append(streamsState).append("\",\"kafka_reachable\":").append(kafkaReachable)
          .append(",\"seconds_since_commit\":").append(Double.isFinite(secondsSinceCommit) ? Math.round(secondsSinceCommit) : -1)
          .append(",\"input_lag\":").append(inputLag).append(",\"reasons\":[");
      for (int i = 0; i < reasons.size(); i++) {
        s.append(i == 0 ? "" : ",").append('"').append(reasons.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
      return s.append("]}").toString();
    }
  }

  /** Asks Kafka who it is; throws when it cannot tell within the timeout. */
  interface KafkaProbe {
    void probe() throws Exception;
  }

  private final Supplier<KafkaStreams.State> state;
  private final Supplier<Map<MetricName, ? extends Metric>> metrics;
  private final KafkaProbe kafka;
  private final String bootstrap;
  private final Duration stuckAfter;
  private final LongSupplier clock;
  private final AutoCloseable closeProbe;
  private ScheduledExecutorService probing;

  private volatile boolean kafkaReachable = true;
  private volatile long unreachableSinceMillis = -1;
  private volatile String lastProblem = "";
  private double lastCommitTotal = Double.NaN;
  private long lastCommitProgressMillis;

  MonitorHealth(Supplier<KafkaStreams.State> state, Supplier<Map<MetricName, ? extends Metric>> metrics, KafkaProbe kafka,
      AutoCloseable closeProbe, String bootstrap, Duration stuckAfter, LongSupplier clock) {
    this.state = state;
    this.metrics = metrics;
    this.kafka = kafka;
    this.closeProbe = closeProbe;
    this.bootstrap = bootstrap;
    this.stuckAfter = stuckAfter;
    this.clock = clock;
    this.lastCommitProgressMillis = clock.getAsLong();
  }

  /** Health of a running monitor, probing Kafka with its own admin client every few seconds. */
  static MonitorHealth start(KafkaStreams streams, Map<String, Object> adminConfig, String bootstrap, Duration stuckAfter) {
    Map<String, Object> config = new HashMap<>(adminConfig);
    int timeout = (int) PROBE_TIMEOUT.toMillis();
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "driftwatch-health");
    Admin admin = Admin.create(config);
    MonitorHealth health = new MonitorHealth(streams::state, streams::metrics,
        () -> admin.describeCluster().clusterId().get(timeout, TimeUnit.MILLISECONDS), () -> admin.close(Duration.ofSeconds(1)),
        bootstrap, stuckAfter, System::currentTimeMillis);
    health.probing = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "driftwatch-health");
      t.setDaemon(true);
      return t;
    });
    health.probing.scheduleWithFixedDelay(health::probeKafka, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return health;
  }

  /** One probe of Kafka; logs a line when reachability changed. */
  void probeKafka() {
    try {
      kafka.probe();
      if (!kafkaReachable) {
        long now = clock.getAsLong();
        log.info("Kafka at {} reconnected after {} s (unreachable since {})", bootstrap,
            Math.round((now - unreachableSinceMillis) / 1000.0), Instant.ofEpochMilli(unreachableSinceMillis));
        unreachableSinceMillis = -1;
      }
      kafkaReachable = true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return;
      }
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      lastProblem = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      if (kafkaReachable) {
        unreachableSinceMillis = clock.getAsLong();
        log.warn("Kafka unreachable since {}: no answer from {} within {} s ({}); scoring waits for it",
            Instant.ofEpochMilli(unreachableSinceMillis), bootstrap, PROBE_TIMEOUT.toSeconds(), lastProblem);
      }
      kafkaReachable = false;
    }
  }

  /** The health now. Also notes commit progress, so call it at least every few seconds (the gauges and probes do). */
  public synchronized Report report() {
    long now = clock.getAsLong();
    KafkaStreams.State current = state.get();
    double commits = 0;
    long lag = 0;
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.get().entrySet()) {
      MetricName name = entry.getKey();
      Object value = entry.getValue().metricValue();
      if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
        continue;
      }
      if (name.group().equals("stream-thread-metrics") && name.name().equals("commit-total")) {
        commits += number.doubleValue();
      } else if (name.group().equals("consumer-fetch-manager-metrics") && name.name().equals("records-lag")
          && name.tags().containsKey("partition") && !name.tags().getOrDefault("client-id", "").endsWith("restore-consumer")) {
        lag += Math.max(0, number.longValue());
      }
    }
    if (Double.isNaN(lastCommitTotal) || commits > lastCommitTotal) {
      lastCommitProgressMillis = now;
    }
    lastCommitTotal = commits;
    double sinceCommit = (now - lastCommitProgressMillis) / 1000.0;

    List<String> reasons = new ArrayList<>();
    boolean live = current != KafkaStreams.State.ERROR && current != KafkaStreams.State.PENDING_ERROR
        && current != KafkaStreams.State.NOT_RUNNING && current != KafkaStreams.State.PENDING_SHUTDOWN;
    if (current != KafkaStreams.State.RUNNING) {
      reasons.add("streams state is " + current + ", not RUNNING");
    }
    if (!kafkaReachable) {
      reasons.add("Kafka unreachable at " + bootstrap + " since " + Instant.ofEpochMilli(unreachableSinceMillis) + ": " + lastProblem);
    }
    if (lag > 0 && sinceCommit > stuckAfter.toSeconds()) {
      reasons.add("no commit for " + Math.round(sinceCommit) + " s while " + lag + " input records wait");
    }
    return new Report(live, reasons.isEmpty(), current.name(), kafkaReachable, sinceCommit, lag, reasons);
  }

  /** Gauges for Prometheus: driftwatch_ready, driftwatch_kafka_reachable, driftwatch_seconds_since_commit. */
  public void register(PrometheusRegistry registry) {
    register(registry, this::report);
  }

  /** The gauges over any source of reports (the documentation registers them without a monitor). */
  public static void register(PrometheusRegistry registry, Supplier<Report> reports) {
    GaugeWithCallback.builder().name("driftwatch_ready")
        .help("1 when this monitor is ready (streams RUNNING, Kafka reachable, committing or without input waiting), 0 when not")
        .callback(cb -> cb.call(reports.get().ready() ? 1 : 0)).register(registry);
    GaugeWithCallback.builder().name("driftwatch_kafka_reachable")
        .help("1 when Kafka answered the monitor's last probe (every 5 s), 0 when not")
        .callback(cb -> cb.call(reports.get().kafkaReachable() ? 1 : 0)).register(registry);
    GaugeWithCallback.builder().name("driftwatch_seconds_since_commit")
        .help("Seconds since the stream threads last committed (an idle monitor does not commit)")
        .callback(cb -> cb.call(reports.get().secondsSinceCommit())).register(registry);
  }

  /** Serves /health/live and /health/ready (200 or 503, with the report as JSON); 404 elsewhere. */
  public HttpHandler handler() {
    return exchange -> {
      String path = exchange.getRequestURI().getPath();
      Report report = report();
      if (path.equals("/health/live")) {
        respond(exchange, report.live() ? 200 : 503, report.json());
      } else if (path.equals("/health/ready")) {
        respond(exchange, report.ready() ? 200 : 503, report.json());
      } else {
        respond(exchange, 404, "{\"error\":\"not found; try /metrics, /health/live or /health/ready\"}");
      }
    };
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (probing != null) {
      probing.shutdownNow();
    }
    try {
      closeProbe.close();
    } catch (Exception e) {
      log.debug("closing the health probe's admin client", e);
    }
  }
}
