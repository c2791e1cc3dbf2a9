package io.driftwatch.producers.tap;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads back what the tap wrote to a tokens topic. */
final class TokensTopic {

  private TokensTopic() {}

  /**
   * Creates the topic and waits until every partition's leader answers. Producing the instant a topic
   * exists can meet a leader not yet serving (NOT_LEADER_OR_FOLLOWER); with Kafka 4.3's idempotent
   * producer the retried first batch can then land behind later ones and be refused for good
   * (OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms), losing a generation's start.
   */
  static void create(String bootstrap, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
      Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
      for (int p = 0; p < 3; p++) {
        partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      // ListOffsets is answered by each partition's leader, and only once it leads.
      admin.listOffsets(partitions).all().get();
    }
  }

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
