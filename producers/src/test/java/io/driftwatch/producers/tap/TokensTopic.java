package io.driftwatch.producers.tap;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads back what the tap wrote to a tokens topic. */
final class TokensTopic {

  private TokensTopic() {}

  /** Every record of the topic from the beginning, polling until {@code done} holds for the decoded events or time runs out. */
  static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic, Predicate<List<GenerationEvent>> done, Duration timeout)
      throws Exception {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<GenerationEvent> events = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(events) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(r);
          events.add(EventCodec.decode(r.value()));
        }
      }
    }
    return records;
  }

  static List<GenerationEvent> events(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
    List<GenerationEvent> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.add(EventCodec.decode(r.value()));
    }
    return out;
  }

  static Predicate<List<GenerationEvent>> ends(int count) {
    return events -> events.stream().filter(GenerationEvent.End.class::isInstance).count() >= count;
  }
}
