package io.driftwatch.streams.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Driftwatch's topics when they are missing and leaves existing ones alone, so that starting
 * twice, or starting several instances at once, is harmless. An existing topic whose partition count
 * differs from the requested one is reported, since the tokens topic's count fixes the parallelism.
 */
public final class TopicSetup {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  /** Ensures the topics exist; returns the names that this call created. */
  public static List<String> ensure(Admin admin, Collection<String> topics, int partitions, short replicationFactor)
      throws InterruptedException {
    Set<String> existing;
    try {
      existing = admin.listTopics().names().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics on the Kafka cluster: " + e.getCause().getMessage(), e.getCause());
    }
    List<String> created = new ArrayList<>();
    for (String topic : topics) {
      if (existing.contains(topic)) {
        checkPartitions(admin, topic, partitions);
        continue;
      }
      NewTopic spec = new NewTopic(topic, Optional.of(partitions), Optional.of(replicationFactor));
      try {
        admin.createTopics(List.of(spec)).all().get();
        created.add(topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
        // Another instance created it between our list and our create: the outcome we wanted.
      }
    }
    return created;
  }

  private static void checkPartitions(Admin admin, String topic, int partitions) throws InterruptedException {
    try {
      Map<String, TopicDescription> described = admin.describeTopics(List.of(topic)).allTopicNames().get();
      int actual = described.get(topic).partitions().size();
      if (actual != partitions) {
        log.warn("topic {} has {} partitions, not the configured {}; Driftwatch uses it as it is", topic, actual, partitions);
      }
    } catch (ExecutionException e) {
      log.warn("cannot describe topic {}: {}", topic, e.getCause().getMessage());
    }
  }
}
