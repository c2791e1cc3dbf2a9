package io.driftwatch.cli;

import io.driftwatch.contract.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Whether a run id was published to the tokens topic recently. The monitor remembers the ids it closed
 * (an hour by default), and rejects their events as {@code generation.closed}; a replay that reused a
 * run id would have every event dead-lettered while it reported success. So replay looks for a start
 * of its run id among the records of the last {@link #WINDOW} first, and refuses when it finds one.
 */
final class RunIdCheck {

  /** Well past the monitor's default memory of closed ids (one hour). */
  static final Duration WINDOW = Duration.ofHours(24);

  private RunIdCheck() {}

  /** True when a start event of {@code runId} is on {@code topic} from {@code now - WINDOW} on. */
  static boolean used(String bootstrap, String topic, String runId, Instant now) {
    // The bytes a start of this run carries; the codec writes run_id exactly so.
    byte[] needle = ("\"run_id\":" + new String(EventCodec.toJson(runId), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      if (partitions.isEmpty()) {
        return false;
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> since = new HashMap<>();
      partitions.forEach(p -> since.put(p, now.minus(WINDOW).toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(since);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp at = from.get(p);
        consumer.seek(p, at == null ? end.get(p) : at.offset());
      }
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null && contains(record.value(), needle)) {
            return true;
          }
        }
      }
      return false;
    } catch (KafkaException e) {
      throw new UserFacingException("cannot check the run id on " + topic + " at " + bootstrap + ": " + e.getMessage()
          + "; is Kafka running there (driftwatch broker)?");
    }
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
