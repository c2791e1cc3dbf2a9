package io.driftwatch.streams.app;

import com.sun.net.httpserver.HttpHandler;
import io.driftwatch.producers.health.KafkaReachability;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the monitor is alive and whether it is doing its work, for probes ({@code /health/live},
 * {@code /health/ready} on the metrics endpoint), for Prometheus ({@code driftwatch_ready},
 * {@code driftwatch_kafka_reachable}, {@code driftwatch_seconds_since_commit}) and for people: one log
 * line each time Kafka becomes unreachable or reachable again ({@link KafkaReachability}).
 *
 * <p>Ready means: the streams application is RUNNING, Kafka answered the last probe, and the stream
 * threads committed within {@code stuckAfter} or have no input waiting (an idle monitor does not
 * commit and is not stuck). Live means the streams application is not in a terminal state.
 */
public final class MonitorHealth implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MonitorHealth.class);

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

  static final String MEANWHILE = "scoring waits for it";

  private final Supplier<KafkaStreams.State> state;
  private final Supplier<Map<MetricName, ? extends Metric>> metrics;
  private final KafkaReachability kafka;
  private final Duration stuckAfter;
  private final LongSupplier clock;
  private double lastCommitTotal = Double.NaN;
  private long lastCommitProgressMillis;

  MonitorHealth(Supplier<KafkaStreams.State> state, Supplier<Map<MetricName, ? extends Metric>> metrics, KafkaReachability kafka,
      Duration stuckAfter, LongSupplier clock) {
    this.state = state;
    this.metrics = metrics;
    this.kafka = kafka;
    this.stuckAfter = stuckAfter;
    this.clock = clock;
    this.lastCommitProgressMillis = clock.getAsLong();
  }

  /** Health of a running monitor, probing Kafka with its own admin client every few seconds. */
  static MonitorHealth start(KafkaStreams streams, Map<String, Object> adminConfig, String bootstrap, Duration stuckAfter) {
    KafkaReachability kafka = KafkaReachability.start(adminConfig, bootstrap, "driftwatch-health", MEANWHILE, log);
    return new MonitorHealth(streams::state, streams::metrics, kafka, stuckAfter, System::currentTimeMillis);
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
    boolean kafkaReachable = kafka.reachable();
    if (!kafkaReachable) {
      reasons.add("Kafka unreachable at " + kafka.bootstrap() + " since " + kafka.unreachableSince() + ": " + kafka.lastProblem());
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
        KafkaReachability.respond(exchange, report.live() ? 200 : 503, report.json());
      } else if (path.equals("/health/ready")) {
        KafkaReachability.respond(exchange, report.ready() ? 200 : 503, report.json());
      } else {
        KafkaReachability.respond(exchange, 404, "{\"error\":\"not found; try /metrics, /health/live or /health/ready\"}");
      }
    };
  }

  @Override
  public void close() {
    kafka.close();
  }
}
