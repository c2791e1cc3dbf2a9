package io.driftwatch.producers.sdk;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
 * Reads the monitor's alerts topic from its end, {@code read_committed} (only alerts of committed
 * transactions), on a thread of its own, and hands each firing alert to a listener: what the tap's
 * guard and {@link GuardSignals} act on.
 *
 * <p>It fails open: while the topic cannot be read it says so once in the log and through
 * {@code onReadable(false)}, and tries again every second; the caller's traffic is never held up.
 */
public final class AlertFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(3);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Consumer<AlertEvent> onFiring;
  private final Consumer<Boolean> onReadable;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private boolean up;
  private boolean saidDown;

  private AlertFeed(KafkaConsumer<byte[], byte[]> consumer, String topic, Consumer<AlertEvent> onFiring, Consumer<Boolean> onReadable) {
    this.consumer = consumer;
    this.topic = topic;
    this.onFiring = onFiring;
    this.onReadable = onReadable;
    this.thread = new Thread(this::run, "driftwatch-alert-feed");
    this.thread.setDaemon(true);
  }

  /**
   * Starts reading; returns at once, whether or not Kafka answers.
   *
   * @param kafkaConfig client properties (security settings); group and offsets are the feed's own
   * @param onFiring called on the feed's thread for each firing alert; must not block
   * @param onReadable called on the feed's thread when the topic becomes readable (true) or not (false)
   */
  public static AlertFeed start(String bootstrap, Map<String, ?> kafkaConfig, String alertsTopic, Consumer<AlertEvent> onFiring,
      Consumer<Boolean> onReadable) {
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // No group: every reader reads every partition, since any of them may hold an alert for its generations.
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) METADATA_TIMEOUT.toMillis());
    AlertFeed feed = new AlertFeed(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()), alertsTopic,
        onFiring, onReadable);
    onReadable.accept(false);
    feed.thread.start();
    return feed;
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
          down("reading the alerts topic " + topic + " failed (" + e.getClass().getSimpleName() + ")");
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
      log.debug("skipped an alert record that is not valid JSON ({})", e.getClass().getSimpleName());
      return;
    }
    if (alert != null && AlertEvent.FIRING.equals(alert.state()) && alert.generationId() != null && alert.rule() != null) {
      onFiring.accept(alert);
    }
  }

  private void up() {
    if (!up) {
      up = true;
      onReadable.accept(true);
      if (saidDown) {
        log.info("reading the alerts topic {} again", topic);
        saidDown = false;
      }
    }
  }

  private void down(String why) {
    if (up || !saidDown) {
      log.warn("{}; guard decisions through Kafka are off until it can be read (traffic is not held up)", why);
      saidDown = true;
    }
    if (up) {
      up = false;
      onReadable.accept(false);
    }
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
