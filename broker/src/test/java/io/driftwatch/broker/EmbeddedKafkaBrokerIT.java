package io.driftwatch.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaBrokerIT {

  @Test
  void sharedBrokerCarriesRecords(EmbeddedKafkaBroker kafka) throws Exception {
    kafka.createTopic("broker-it", 2);
    assertThat(roundTrip(kafka.bootstrapServers(), "broker-it", 20)).hasSize(20);
  }

  @Test
  void dataDirectoryIsFormattedOnceAndKeptAcrossRestarts(@TempDir Path dir) throws Exception {
    BrokerSettings settings = BrokerSettings.inDirectory(dir);
    try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(settings)) {
      assertThat(first.freshlyFormatted()).isTrue();
      first.createTopic("kept", 1);
      produce(first.bootstrapServers(), "kept", 5);
    }
    try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(settings)) {
      assertThat(second.freshlyFormatted()).isFalse();
      assertThat(consume(second.bootstrapServers(), "kept", 5)).hasSize(5);
    }
  }

  @Test
  void aStoppedBrokerStartsAgainOnTheSamePortsWithItsData(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.inDirectory(dir))) {
      String bootstrap = broker.bootstrapServers();
      broker.createTopic("restarted", 1);
      produce(bootstrap, "restarted", 5);
      broker.stop();
      assertThat(broker.running()).isFalse();
      assertThat(EmbeddedKafkaBroker.inUse(broker.port())).isFalse();
      broker.startAgain();
      assertThat(broker.running()).isTrue();
      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
      produce(bootstrap, "restarted", 5);
      assertThat(consume(bootstrap, "restarted", 10)).hasSize(10);
    }
  }

  @Test
  void aTakenPortIsReportedClearly(EmbeddedKafkaBroker running, @TempDir Path dir) {
    BrokerSettings clash = BrokerSettings.inDirectory(dir).withPort(running.port());
    assertThatThrownBy(() -> EmbeddedKafkaBroker.start(clash))
        .isInstanceOf(BrokerStartException.class)
        .hasMessageContaining("port " + running.port())
        .hasMessageContaining("already in use");
  }

  private static List<ConsumerRecord<String, String>> roundTrip(String bootstrap, String topic, int n) {
    produce(bootstrap, topic, n);
    return consume(bootstrap, topic, n);
  }

  private static void produce(String bootstrap, String topic, int n) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
      }
    }
  }

  private static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int n) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic + "-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
