package io.driftwatch.producers.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The never-blocking SDK against a real broker, and against no broker at all. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TokenStreamPublisherIT {

  @Test
  void generationsArriveInOrderKeyedByGenerationId(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "publisher-it.tokens";
    kafka.createTopic(topic, 3);
    try (TokenStreamPublisher publisher = TokenStreamPublisher.connect(kafka.bootstrapServers(), topic, 1_000, Chunking.NONE, Map.of())) {
      for (int g = 0; g < 3; g++) {
        GenerationStream stream = publisher.begin(GenerationInfo.of("run", "model", "Prompt " + g).withId("gen-" + g));
        for (int i = 0; i < 100; i++) {
          stream.token(" t" + i);
        }
        stream.end("stop");
      }
      publisher.close(Duration.ofSeconds(30));
      assertThat(publisher.stats()).isEqualTo(new TokenStreamPublisher.Stats(306, 0, 306, 300, 0, 0));
    }

    List<GenerationEvent> received = new ArrayList<>();
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "publisher-it");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < 306 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          GenerationEvent event = EventCodec.decode(r.value());
          assertThat(r.key()).isEqualTo(event.generationId());
          received.add(event);
        }
      }
    }
    assertThat(received).hasSize(306);
    for (int g = 0; g < 3; g++) {
      String id = "gen-" + g;
      List<GenerationEvent> events = received.stream().filter(e -> e.generationId().equals(id)).toList();
      assertThat(events.get(0)).isInstanceOf(GenerationEvent.Start.class);
      assertThat(events.get(events.size() - 1)).isInstanceOf(GenerationEvent.End.class);
      assertThat(events.subList(1, 101)).extracting(e -> ((GenerationEvent.Token) e).seq())
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 100).boxed().toList());
    }
  }

  /**
   * With nothing listening where Kafka should be, callers still return at once: the buffer fills, the
   * rest is dropped and counted. The Kafka producer may wait 60 s for metadata here, so a single call
   * that waited on Kafka would blow the 10 s bound by far.
   */
  @Test
  void aDownBrokerNeverBlocksTheCallerAndDropsAreCounted() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TokenStreamPublisher publisher = TokenStreamPublisher.connect("127.0.0.1:" + port, "nowhere", 1_000,
        Map.of("max.block.ms", 60_000));
    long start = System.nanoTime();
    GenerationStream stream = publisher.begin(GenerationInfo.of("run", "model", "prompt"));
    for (int i = 0; i < 50_000; i++) {
      stream.token(" token" + i);
    }
    stream.end("stop");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    TokenStreamPublisher.Stats stats = publisher.stats();
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(stats.accepted() + stats.dropped()).isEqualTo(50_002);
    assertThat(stats.dropped()).isGreaterThanOrEqualTo(50_002 - 1_000 - 512 - 1);
    assertThat(stats.sent()).isZero();
    publisher.close(Duration.ofMillis(200));
    assertThat(publisher.stats().buffered()).isZero();
  }
}
