package io.driftwatch.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Topic creation and the start-up checks of existing topics, on the real embedded broker. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TopicSetupIT {

  @Test
  void createsMissingTopicsOnceAndFindsNothingWrongWithThem(EmbeddedKafkaBroker kafka) throws Exception {
    Topics topics = Topics.withPrefix("setup-fresh.");
    try (Admin admin = admin(kafka)) {
      TopicSetup.Report first = TopicSetup.ensure(admin, topics, 3, (short) 1);
      assertThat(first.created()).containsExactlyElementsOf(topics.all());
      assertThat(first.warnings()).isEmpty();
      assertThat(partitionCounts(admin, topics)).containsOnlyKeys(topics.all()).allSatisfy((t, n) -> assertThat(n).isEqualTo(3));
      // Producers start right after ensure() returns: every new partition must already have a leader.
      assertThat(leaderlessPartitions(admin, topics)).isEmpty();

      TopicSetup.Report second = TopicSetup.ensure(admin, topics, 3, (short) 1);
      assertThat(second.created()).isEmpty();
      assertThat(second.warnings()).isEmpty();
    }
  }

  @Test
  void instancesStartingTogetherCreateEachTopicOnceAndAllSucceed(EmbeddedKafkaBroker kafka) throws Exception {
    Topics topics = Topics.withPrefix("setup-race.");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (Admin a = admin(kafka); Admin b = admin(kafka); Admin c = admin(kafka)) {
      List<Future<TopicSetup.Report>> runs = new ArrayList<>();
      for (Admin admin : List.of(a, b, c)) {
        runs.add(pool.submit((Callable<TopicSetup.Report>) () -> TopicSetup.ensure(admin, topics, 2, (short) 1)));
      }
      List<String> created = new ArrayList<>();
      for (Future<TopicSetup.Report> run : runs) {
        TopicSetup.Report report = run.get();
        created.addAll(report.created());
        assertThat(report.warnings()).isEmpty();
      }
      assertThat(created).containsExactlyInAnyOrderElementsOf(topics.all());
      assertThat(partitionCounts(a, topics)).allSatisfy((t, n) -> assertThat(n).isEqualTo(2));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void outputsFollowAPreCreatedTokensTopicAndTheDifferenceFromTheConfiguredCountIsAWarning(EmbeddedKafkaBroker kafka)
      throws Exception {
    Topics topics = Topics.withPrefix("setup-precreated.");
    try (Admin admin = admin(kafka)) {
      create(admin, topics.tokens(), 4);

      TopicSetup.Report report = TopicSetup.ensure(admin, topics, 3, (short) 1);

      assertThat(report.created()).containsExactly(topics.scores(), topics.alerts(), topics.spans(), topics.deadLetters(),
          topics.radius());
      Map<String, Integer> counts = partitionCounts(admin, topics);
      assertThat(counts).containsEntry(topics.tokens(), 4).containsEntry(topics.scores(), 4).containsEntry(topics.alerts(), 4)
          .containsEntry(topics.spans(), 4).containsEntry(topics.deadLetters(), 3).containsEntry(topics.radius(), 3);
      assertThat(report.warnings()).singleElement().asString()
          .contains("topic setup-precreated.tokens has 4 partitions, not the configured 3 (--partitions)");
    }
  }

  @Test
  void outputTopicsNotCoPartitionedWithTheTokensTopicStopTheStartWithAFix(EmbeddedKafkaBroker kafka) throws Exception {
    Topics topics = Topics.withPrefix("setup-mismatch.");
    try (Admin admin = admin(kafka)) {
      create(admin, topics.tokens(), 3);
      create(admin, topics.scores(), 2);
      create(admin, topics.alerts(), 5);

      assertThatThrownBy(() -> TopicSetup.ensure(admin, topics, 3, (short) 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("must have the same number of partitions")
          .hasMessageContaining("setup-mismatch.tokens 3, setup-mismatch.scores 2, setup-mismatch.alerts 5, setup-mismatch.spans 3")
          .hasMessageContaining("kafka-topics.sh --bootstrap-server HOST:PORT --alter --topic setup-mismatch.scores --partitions 3")
          .hasMessageContaining("delete setup-mismatch.alerts")
          .hasMessageContaining("created now: setup-mismatch.spans, setup-mismatch.dead-letters");
    }
  }

  @Test
  void replicationBelowTheConfiguredFactorIsAWarningPerTopic(EmbeddedKafkaBroker kafka) throws Exception {
    Topics topics = Topics.withPrefix("setup-replication.");
    try (Admin admin = admin(kafka)) {
      for (String topic : topics.all()) {
        create(admin, topic, 3);
      }
      // The embedded cluster has one broker: replication factor 1 is all it can hold, below the configured 2.
      TopicSetup.Report report = TopicSetup.ensure(admin, topics, 3, (short) 2);

      assertThat(report.created()).isEmpty();
      assertThat(report.warnings()).hasSize(topics.all().size()).allSatisfy(w -> assertThat(w)
          .contains("has replication factor 1, below the configured 2 (--replication-factor)"));
    }
  }

  private static Admin admin(EmbeddedKafkaBroker kafka) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  /** Creates a topic as an operator would beforehand: visible to every client by the time Driftwatch starts. */
  private static void create(Admin admin, String topic, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.of((short) 1)))).all().get();
    for (int i = 0; i < 300 && !admin.listTopics().names().get().contains(topic); i++) {
      Thread.sleep(100);
    }
  }

  private static List<String> leaderlessPartitions(Admin admin, Topics topics) throws Exception {
    return admin.describeTopics(topics.all()).allTopicNames().get().values().stream()
        .flatMap(d -> d.partitions().stream().filter(p -> p.leader() == null || p.leader().isEmpty())
            .map(p -> d.name() + "-" + p.partition()))
        .toList();
  }

  private static Map<String, Integer> partitionCounts(Admin admin, Topics topics) throws Exception {
    Map<String, TopicDescription> described = admin.describeTopics(topics.all()).allTopicNames().get();
    return described.values().stream().collect(Collectors.toMap(TopicDescription::name, d -> d.partitions().size()));
  }
}
