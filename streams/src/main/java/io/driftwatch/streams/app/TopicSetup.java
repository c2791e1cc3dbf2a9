package io.driftwatch.streams.app;

import io.driftwatch.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Driftwatch's topics when they are missing and leaves existing ones alone, so that starting
 * twice, or starting several instances at once, is harmless. Existing topics are checked at start:
 *
 * <ul>
 *   <li>the tokens topic and the output topics (scores, alerts, spans) must have the same partition
 *       count, so that one generation's records land on the same partition number in each (the web
 *       view finds a generation's scores in the partition its tokens went to): a difference stops the
 *       start with a message saying how to fix it;
 *   <li>a partition count other than the configured one, or a replication factor below the configured
 *       one, is a warning: Driftwatch runs on the topics as they are.
 * </ul>
 *
 * Missing output topics are created with the tokens topic's partition count when the tokens topic
 * already exists, whatever {@code --partitions} says, so that a pre-created tokens topic never leads to
 * a broken layout.
 */
public final class TopicSetup {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  /** What {@link #ensure(Admin, Topics, int, short)} did and found. */
  public record Report(List<String> created, List<String> warnings) {
    public Report {
      created = List.copyOf(created);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Partition count, lowest replication factor and the partitions without a leader of an existing
   * topic.
   */
  private record Layout(int partitions, int replicationFactor, List<Integer> leaderless) {}

  /** How long a just-created topic may stay unknown to the broker that answers a describe. */
  private static final Duration DESCRIBE_PATIENCE = Duration.ofSeconds(30);

  private TopicSetup() {}

  /**
   * Ensures Driftwatch's topics exist and checks their layout. Warnings are logged and returned.
   *
   * @throws IllegalStateException when the cluster cannot be reached or a topic cannot be created, or
   *     when the tokens and output topics are not co-partitioned
   */
  public static Report ensure(Admin admin, Topics topics, int partitions, short replicationFactor) throws InterruptedException {
    List<String> coPartitioned = List.of(topics.tokens(), topics.scores(), topics.alerts(), topics.spans());
    Set<String> present = list(admin);
    // Outputs follow an existing tokens topic: co-partitioning matters more than --partitions.
    int outputPartitions = present.contains(topics.tokens())
        ? describe(admin, List.of(topics.tokens()), Set.of()).get(topics.tokens()).partitions()
        : partitions;
    List<String> created = new ArrayList<>();
    for (String topic : topics.all()) {
      int count = coPartitioned.contains(topic) ? outputPartitions : partitions;
      if (!present.contains(topic) && create(admin, topic, count, replicationFactor)) {
        created.add(topic);
      }
    }

    // Described after creation, so that a topic another instance created at the same moment, perhaps
    // with other settings, is checked too. Topics created now are waited on until every partition has a
    // leader: an idempotent producer that writes to a partition whose leader is still being elected can
    // fail its first batches with OutOfOrderSequenceException instead of retrying them.
    Map<String, Layout> layouts = describe(admin, topics.all(), Set.copyOf(created));
    List<String> warnings = new ArrayList<>();
    layouts.forEach((topic, layout) -> {
      if (created.contains(topic)) {
        return;
      }
      if (layout.partitions() != partitions) {
        warnings.add("topic " + topic + " has " + layout.partitions() + " partitions, not the configured " + partitions
            + " (--partitions); Driftwatch uses it as it is" + (topic.equals(topics.tokens())
                ? ": at most " + layout.partitions() + " stream tasks share the work, whatever the number of instances" : ""));
      }
      if (layout.replicationFactor() < replicationFactor) {
        warnings.add("topic " + topic + " has replication factor " + layout.replicationFactor() + ", below the configured "
            + replicationFactor + " (--replication-factor): losing a broker can lose its records; raise it with "
            + "kafka-reassign-partitions.sh");
      }
    });
    warnings.forEach(log::warn);

    checkCoPartitioned(coPartitioned, layouts, created);
    return new Report(created, warnings);
  }

  /** Creates the topic; false when another client created it first (the outcome we wanted). */
  private static boolean create(Admin admin, String topic, int partitions, short replicationFactor) throws InterruptedException {
    try {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.of(replicationFactor)))).all().get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw new IllegalStateException("cannot create topic " + topic + " (" + partitions + " partitions, replication factor "
          + replicationFactor + "): " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static Set<String> list(Admin admin) throws InterruptedException {
    try {
      return admin.listTopics().names().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics on the Kafka cluster: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * The layout of topics that exist. A topic just created may be unknown to the broker answering for a
   * moment (its metadata is still propagating), and its partitions may have no leader yet, so those
   * answers are retried for a while. Only topics in {@code awaitLeaders} are waited on for leaders: a
   * leaderless partition of an older topic means a broker is down, which Kafka Streams rides out.
   */
  private static Map<String, Layout> describe(Admin admin, Collection<String> topics, Set<String> awaitLeaders)
      throws InterruptedException {
    long deadline = System.nanoTime() + DESCRIBE_PATIENCE.toNanos();
    while (true) {
      Map<String, Layout> layouts;
      try {
        layouts = layouts(admin.describeTopics(topics).allTopicNames().get(), topics);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot describe topics " + topics + " on the Kafka cluster: " + e.getCause().getMessage(),
              e.getCause());
        }
        Thread.sleep(100);
        continue;
      }
      Map<String, List<Integer>> waiting = new LinkedHashMap<>();
      layouts.forEach((topic, layout) -> {
        if (awaitLeaders.contains(topic) && !layout.leaderless().isEmpty()) {
          waiting.put(topic, layout.leaderless());
        }
      });
      if (waiting.isEmpty()) {
        awaitOpen(admin, layouts, awaitLeaders);
        return layouts;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics created now still have partitions without a leader after "
            + DESCRIBE_PATIENCE.toSeconds() + " s (topic: partitions " + waiting + "); check that the brokers are up "
            + "and that the replication factor is not above the number of brokers");
      }
      Thread.sleep(100);
    }
  }

  /**
   * Waits until every partition of the topics just created is open at its leader. Metadata names a
   * leader a moment before that broker has opened the partition; an idempotent producer writing then
   * can have its first batch refused and a later one accepted, and the first is lost (KAFKA-18202).
   * ListOffsets is answered only by a leader that has the partition open, and the admin client retries it.
   */
  private static void awaitOpen(Admin admin, Map<String, Layout> layouts, Set<String> created) throws InterruptedException {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    for (String topic : created) {
      for (int p = 0; p < layouts.get(topic).partitions(); p++) {
        partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    }
    if (partitions.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + DESCRIBE_PATIENCE.toNanos();
    while (true) {
      try {
        admin.listOffsets(partitions).all().get(DESCRIBE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        // The broker asked for metadata may not know the topic yet (the admin client gives up on that at once).
        if (!(cause instanceof RetriableException) || System.nanoTime() > deadline) {
          throw new IllegalStateException("topics created now " + created + " do not answer at their partitions' leaders: "
              + cause.getMessage() + "; check that the brokers are up", cause);
        }
      }
      Thread.sleep(100);
    }
  }

  private static Map<String, Layout> layouts(Map<String, TopicDescription> described, Collection<String> topics) {
    Map<String, Layout> layouts = new LinkedHashMap<>();
    for (String topic : topics) {
      List<TopicPartitionInfo> parts = described.get(topic).partitions();
      List<Integer> leaderless = parts.stream().filter(p -> p.leader() == null || p.leader().isEmpty())
          .map(TopicPartitionInfo::partition).toList();
      layouts.put(topic, new Layout(parts.size(), parts.stream().mapToInt(p -> p.replicas().size()).min().orElse(0), leaderless));
    }
    return layouts;
  }

  private static void checkCoPartitioned(List<String> group, Map<String, Layout> layouts, List<String> created) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String topic : group) {
      counts.put(topic, layouts.get(topic).partitions());
    }
    Set<Integer> distinct = Set.copyOf(counts.values());
    if (distinct.size() == 1) {
      return;
    }
    String tokens = group.get(0);
    int target = counts.get(tokens);
    String listing = counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    List<String> fewer = counts.entrySet().stream().filter(e -> e.getValue() < target).map(Map.Entry::getKey).toList();
    List<String> more = counts.entrySet().stream().filter(e -> e.getValue() > target).map(Map.Entry::getKey).toList();
    StringBuilder fix = new StringBuilder();
    for (String topic : fewer) {
      fix.append(" kafka-topics.sh --bootstrap-server HOST:PORT --alter --topic ").append(topic).append(" --partitions ")
          .append(target).append(';');
    }
    if (!more.isEmpty()) {
      fix.append(" partitions cannot be removed, so delete ").append(String.join(", ", more))
          .append(" (kafka-topics.sh --delete) and start again: Driftwatch recreates them with ").append(target).append(" partitions;");
    }
    throw new IllegalStateException("the tokens topic and the output topics must have the same number of partitions, so that "
        + "a generation's records land on the same partition in each, but they have: " + listing + " (created now: "
        + (created.isEmpty() ? "none" : String.join(", ", created)) + "). Make them all " + target
        + " (the tokens topic's count):" + fix
        + " or, to change the tokens topic's count instead, raise it and then reset the application's state "
        + "(kafka-streams-application-reset.sh, or a new --application-id), since its state is partitioned like it.");
  }
}
