package io.driftwatch.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaClusterIT {

  @Test
  void threeNodesReplicateEveryPartitionThreeTimes(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir)) {
      assertThat(cluster.size()).isEqualTo(3);
      assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
      String bootstrap = cluster.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        assertThat(admin.describeCluster().nodes().get()).hasSize(3);
        // No replication given: the cluster's default of three.
        admin.createTopics(List.of(new NewTopic("replicated", 4, (short) -1))).all().get();
        TopicDescription topic = admin.describeTopics(List.of("replicated")).allTopicNames().get().get("replicated");
        for (TopicPartitionInfo partition : topic.partitions()) {
          assertThat(partition.replicas()).hasSize(3);
        }
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        assertThat(admin.describeConfigs(List.of(broker)).all().get().get(broker).get("min.insync.replicas").value()).isEqualTo("2");
      }

      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 20; i++) {
          producer.send(new ProducerRecord<>("replicated", "k" + i, "v" + i)).get();
        }
      }
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "cluster-it");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      List<String> values = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("replicated"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < 20 && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
      }
      assertThat(values).hasSize(20);
    }
  }
}
