package io.driftwatch.producers.tap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tap's probes, on its metrics endpoint: {@code /health/live} (the process answers) and
 * {@code /health/ready} (the relay listens). Kafka is not part of readiness: the tap fails open, it
 * relays every request whether or not Kafka takes the events, and a probe that failed on Kafka would
 * take a working relay out of a load balancer. Kafka's state is in the answer and in the log instead:
 * one line when it stops answering ({@code Kafka unreachable since ...}), one when it is back.
 */
public final class TapHealth implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TapHealth.class);

  static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  /** Asks Kafka who it is; throws when it cannot tell within the timeout. */
  interface KafkaProbe {
    void probe() throws Exception;
  }

  private final KafkaProbe kafka;
  private final AutoCloseable closeProbe;
  private final String bootstrap;
  private final BooleanSupplier relaying;
  private final LongSupplier clock;
  private ScheduledExecutorService probing;
  private volatile boolean kafkaReachable = true;
  private volatile long unreachableSinceMillis = -1;
  private volatile String lastProblem = "";

  TapHealth(KafkaProbe kafka, AutoCloseable closeProbe, String bootstrap, BooleanSupplier relaying, LongSupplier clock) {
    this.kafka = kafka;
    this.closeProbe = closeProbe;
    this.bootstrap = bootstrap;
    this.relaying = relaying;
    this.clock = clock;
  }

  /**
   * Probes Kafka with its own admin client every few seconds, from now on.
   *
   * @param knownProblem what a check at start found wrong with Kafka (already said), or null: the first
   *     failed probe then says nothing more, and the return of Kafka is still said
   */
  public static TapHealth start(String bootstrap, Map<String, String> kafkaConfig, BooleanSupplier relaying, String knownProblem) {
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    int timeout = (int) PROBE_TIMEOUT.toMillis();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "driftwatch-tap-health");
    Admin admin = Admin.create(config);
    TapHealth health = new TapHealth(() -> admin.describeCluster().clusterId().get(timeout, TimeUnit.MILLISECONDS),
        () -> admin.close(Duration.ofSeconds(1)), bootstrap, relaying, System::currentTimeMillis);
    if (knownProblem != null) {
      health.kafkaReachable = false;
      health.unreachableSinceMillis = System.currentTimeMillis();
      health.lastProblem = knownProblem;
    }
    health.probing = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "driftwatch-tap-health");
      t.setDaemon(true);
      return t;
    });
    health.probing.scheduleWithFixedDelay(health::probeKafka, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return health;
  }

  /** One probe; logs a line when reachability changed. */
  void probeKafka() {
    try {
      kafka.probe();
      if (!kafkaReachable) {
        log.info("Kafka at {} reconnected after {} s (unreachable since {}); token events flow again", bootstrap,
            Math.round((clock.getAsLong() - unreachableSinceMillis) / 1000.0), Instant.ofEpochMilli(unreachableSinceMillis));
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
        log.warn("Kafka unreachable since {}: no answer from {} within {} s ({}); requests are still relayed, "
            + "their token events are buffered, then dropped and counted", Instant.ofEpochMilli(unreachableSinceMillis), bootstrap,
            PROBE_TIMEOUT.toSeconds(), lastProblem);
      }
      kafkaReachable = false;
    }
  }

  public boolean kafkaReachable() {
    return kafkaReachable;
  }

  public boolean ready() {
    return relaying.getAsBoolean();
  }

  String json() {
    return "{\"live\":true,\"ready\":" + ready() + ",\"kafka_reachable\":" + kafkaReachable
        + (kafkaReachable ? "" : ",\"kafka_unreachable_since\":\"" + Instant.ofEpochMilli(unreachableSinceMillis) + "\"") + "}";
  }

  /** Serves /health/live and /health/ready; 404 elsewhere. */
  public HttpHandler handler() {
    return exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/health/live")) {
        respond(exchange, 200, json());
      } else if (path.equals("/health/ready")) {
        respond(exchange, ready() ? 200 : 503, json());
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
