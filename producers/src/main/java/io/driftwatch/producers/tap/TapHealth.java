package io.driftwatch.producers.tap;

import com.sun.net.httpserver.HttpHandler;
import io.driftwatch.producers.health.KafkaReachability;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tap's probes, on its metrics endpoint: {@code /health/live} (the process answers) and
 * {@code /health/ready} (the relay listens). Kafka is not part of readiness: the tap fails open, it
 * relays every request whether or not Kafka takes the events, and a probe that failed on Kafka would
 * take a working relay out of a load balancer. Kafka's state is in the answer and in the log instead
 * ({@link KafkaReachability}: one line when it stops answering, one when it is back).
 */
public final class TapHealth implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TapHealth.class);

  static final String MEANWHILE = "requests are still relayed, their token events are buffered, then dropped and counted";

  private final KafkaReachability kafka;
  private final BooleanSupplier relaying;

  TapHealth(KafkaReachability kafka, BooleanSupplier relaying) {
    this.kafka = kafka;
    this.relaying = relaying;
  }

  /**
   * Probes Kafka every few seconds, from now on.
   *
   * @param knownProblem what a check at start found wrong with Kafka (already said), or null
   */
  public static TapHealth start(String bootstrap, Map<String, String> kafkaConfig, BooleanSupplier relaying, String knownProblem) {
    KafkaReachability kafka = KafkaReachability.start(kafkaConfig, bootstrap, "driftwatch-tap-health", MEANWHILE, log);
    if (knownProblem != null) {
      kafka.alreadyUnreachable(knownProblem);
    }
    return new TapHealth(kafka, relaying);
  }

  public boolean kafkaReachable() {
    return kafka.reachable();
  }

  public boolean ready() {
    return relaying.getAsBoolean();
  }

  String json() {
    var since = kafka.unreachableSince();
    return "{\"live\":true,\"ready\":" + ready() + ",\"kafka_reachable\":" + kafka.reachable()
        + (since == null ? "" : ",\"kafka_unreachable_since\":\"" + since + "\"") + "}";
  }

  /** Serves /health/live and /health/ready; 404 elsewhere. */
  public HttpHandler handler() {
    return exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/health/live")) {
        KafkaReachability.respond(exchange, 200, json());
      } else if (path.equals("/health/ready")) {
        KafkaReachability.respond(exchange, ready() ? 200 : 503, json());
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
