package io.driftwatch.producers.health;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;

/**
 * Whether Kafka answers, asked every few seconds (Admin {@code describeCluster}, a short timeout), and
 * said in one log line when that changes: {@code Kafka unreachable since <time>: ...} when it stops
 * answering, {@code Kafka at <address> reconnected after <n> s ...} when it answers again. Shared by
 * the monitor's and the tap's health probes.
 */
public final class KafkaReachability implements AutoCloseable {

  /** How often Kafka is asked, and how long an answer may take. */
  public static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  /** Asks Kafka who it is; throws when it cannot tell within the timeout. */
  public interface Probe {
    void probe() throws Exception;
  }

  private final Probe probe;
  private final AutoCloseable closeProbe;
  private final String bootstrap;
  private final String meanwhile;
  private final Logger log;
  private final LongSupplier clock;
  private ScheduledExecutorService probing;
  private volatile boolean reachable = true;
  private volatile long unreachableSinceMillis = -1;
  private volatile String lastProblem = "";

  /**
   * @param meanwhile what the owner does while Kafka is away, for the log line
   * @param log the owner's logger, so that the lines say whose they are
   */
  public KafkaReachability(Probe probe, AutoCloseable closeProbe, String bootstrap, String meanwhile, Logger log, LongSupplier clock) {
    this.probe = probe;
    this.closeProbe = closeProbe;
    this.bootstrap = bootstrap;
    this.meanwhile = meanwhile;
    this.log = log;
    this.clock = clock;
  }

  /** Probes with an admin client of its own every {@link #PROBE_INTERVAL}, the first time now. */
  public static KafkaReachability start(Map<String, ?> clientConfig, String bootstrap, String clientId, String meanwhile, Logger log) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    int timeout = (int) PROBE_TIMEOUT.toMillis();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    Admin admin = Admin.create(config);
    KafkaReachability kafka = new KafkaReachability(() -> admin.describeCluster().clusterId().get(timeout, TimeUnit.MILLISECONDS),
        () -> admin.close(Duration.ofSeconds(1)), bootstrap, meanwhile, log, System::currentTimeMillis);
    kafka.probing = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, clientId);
      t.setDaemon(true);
      return t;
    });
    kafka.probing.scheduleWithFixedDelay(kafka::probe, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return kafka;
  }

  /**
   * Kafka is already known not to answer, and was already said to be so (a check at start): the first
   * failed probe says nothing more; its return is still said.
   */
  public void alreadyUnreachable(String problem) {
    reachable = false;
    unreachableSinceMillis = clock.getAsLong();
    lastProblem = problem;
  }

  /** One probe; logs a line when reachability changed. */
  public void probe() {
    try {
      probe.probe();
      if (!reachable) {
        log.info("Kafka at {} reconnected after {} s (unreachable since {})", bootstrap,
            Math.round((clock.getAsLong() - unreachableSinceMillis) / 1000.0), Instant.ofEpochMilli(unreachableSinceMillis));
        unreachableSinceMillis = -1;
      }
      reachable = true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return;
      }
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      lastProblem = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      if (reachable) {
        unreachableSinceMillis = clock.getAsLong();
        log.warn("Kafka unreachable since {}: no answer from {} within {} s ({}); {}", Instant.ofEpochMilli(unreachableSinceMillis),
            bootstrap, PROBE_TIMEOUT.toSeconds(), lastProblem, meanwhile);
      }
      reachable = false;
    }
  }

  public boolean reachable() {
    return reachable;
  }

  /** Since when Kafka has not answered; null while it answers. */
  public Instant unreachableSince() {
    long since = unreachableSinceMillis;
    return reachable || since < 0 ? null : Instant.ofEpochMilli(since);
  }

  public String lastProblem() {
    return lastProblem;
  }

  public String bootstrap() {
    return bootstrap;
  }

  /** Answers a probe request with a JSON body. */
  public static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
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
      log.debug("closing the Kafka probe's admin client", e);
    }
  }
}
