package io.driftwatch.producers.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

@ExtendWith(EmbeddedKafkaExtension.class)
class DemoGeneratorIT {

  @Test
  void streamsValidKeyedGenerationsInOrder(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "demo-it.tokens";
    DemoSettings settings = new DemoSettings("demo-it", 3, 200, 40, List.of("model-a", "model-b"), 42);
    try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topic);
        DemoGenerator generator = new DemoGenerator(producer, DemoCorpus.load(), settings)) {
      generator.start();
      Thread.sleep(1_500);
      generator.close();
      assertThat(generator.generationsFinished()).isGreaterThanOrEqualTo(3);
    }

    Map<String, List<GenerationEvent>> byGeneration = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : readAll(kafka, topic)) {
      GenerationEvent event = EventCodec.decode(record.value());
      assertThat(record.key()).isEqualTo(event.generationId());
      byGeneration.computeIfAbsent(event.generationId(), k -> new ArrayList<>()).add(event);
    }
    assertThat(byGeneration).isNotEmpty();
    for (List<GenerationEvent> events : byGeneration.values()) {
      assertThat(events.get(0)).isInstanceOf(GenerationEvent.Start.class);
      assertThat(events.get(events.size() - 1)).isInstanceOf(GenerationEvent.End.class);
      long expectedSeq = 0;
      for (GenerationEvent e : events.subList(1, events.size() - 1)) {
        List<GenerationEvent.Token> tokens = e instanceof GenerationEvent.Chunk c ? c.expand() : List.of((GenerationEvent.Token) e);
        for (GenerationEvent.Token t : tokens) {
          assertThat(t.seq()).isEqualTo(expectedSeq++);
        }
      }
      GenerationEvent.Start start = (GenerationEvent.Start) events.get(0);
      assertThat(start.attributes()).containsKeys("scenario", "source");
      assertThat(start.model()).isIn("model-a", "model-b");
    }
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafkaBroker kafka, String topic) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-it-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      int emptyPolls = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while ((out.isEmpty() || emptyPolls < 5) && System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(200));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        records.forEach(out::add);
      }
    }
    return out;
  }
}
