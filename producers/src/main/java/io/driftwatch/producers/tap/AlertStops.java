package io.driftwatch.producers.tap;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's Kafka decision path: reads the monitor's alerts topic (read_committed, so only alerts of
 * committed transactions) and turns a firing alert of a guarded rule for a generation the tap is
 * relaying into that stream's stop decision. Every rule the monitor evaluates can stop a stream this
 * way, the semantic ones included.
 *
 * <p>It fails open: while the alerts topic cannot be read the tap relays as before and the in-process
 * path keeps working; the outage is said once in the log and in {@code driftwatch_tap_guard_kafka_up}.
 * It reads from the end of the topic: alerts written before the tap started concern no stream it relays.
 */
public final class AlertStops implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AlertStops.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(3);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Set<String> rules;
  private final InFlightGenerations inFlight;
  private final TapMetrics metrics;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private boolean up;
  private boolean saidDown;

  private AlertStops(KafkaConsumer<byte[], byte[]> consumer, String topic, Set<String> rules, InFlightGenerations inFlight,
      TapMetrics metrics, Clock clock) {
    this.consumer = consumer;
    this.topic = topic;
    this.rules = Set.copyOf(rules);
    this.inFlight = inFlight;
    this.metrics = metrics;
    this.clock = clock;
    this.thread = new Thread(this::run, "driftwatch-tap-alerts");
    this.thread.setDaemon(true);
  }

  /**
   * Starts reading {@code alertsTopic}; returns at once, whether or not Kafka answers.
   *
   * @param kafkaConfig client properties (security settings); group and offsets are the tap's own
   */
  public static AlertStops start(String bootstrap, Map<String, ?> kafkaConfig, String alertsTopic, Set<String> rules,
      InFlightGenerations inFlight, TapMetrics metrics, Clock clock) {
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // No group: each tap reads every partition itself, since any of them may hold an alert for its streams.
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) METADATA_TIMEOUT.toMillis());
    AlertStops stops = new AlertStops(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        alertsTopic, rules, inFlight, metrics, clock);
    metrics.guardKafkaUp(false);
    stops.thread.start();
    return stops;
  }

  private void run() {
    try {
      while (running.get()) {
        try {
          if (consumer.assignment().isEmpty() && !assign()) {
            down("the alerts topic " + topic + " cannot be read");
            sleep();
            continue;
          }
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            alert(record.value());
          }
          up();
        } catch (WakeupException e) {
          return;
        } catch (KafkaException e) {
          down("reading the alerts topic failed (" + e.getClass().getSimpleName() + ")");
          sleep();
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private boolean assign() {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
    if (partitions == null || partitions.isEmpty()) {
      return false;
    }
    List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(assigned);
    consumer.seekToEnd(assigned);
    assigned.forEach(consumer::position); // resolve the end now: alerts from here on count
    return true;
  }

  private void alert(byte[] value) {
    AlertEvent alert;
    try {
      alert = EventCodec.fromJson(value, AlertEvent.class);
    } catch (IOException | RuntimeException e) {
      metrics.parseError("alert_json");
      return;
    }
    if (alert == null || !AlertEvent.FIRING.equals(alert.state()) || !rules.contains(alert.rule()) || alert.generationId() == null) {
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

  private void up() {
    if (!up) {
      up = true;
      metrics.guardKafkaUp(true);
      if (saidDown) {
        log.info("the guard reads the alerts topic {} again", topic);
        saidDown = false;
      }
    }
  }

  private void down(String why) {
    if (up || !saidDown) {
      log.warn("{}; the guard's Kafka path is off until it can be read (the tap keeps relaying, the in-process guard keeps "
          + "working)", why);
      saidDown = true;
    }
    up = false;
    metrics.guardKafkaUp(false);
  }

  private void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
