package io.driftwatch.benchmarks.pipeline;

import io.driftwatch.broker.OpenPartitions;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** The benchmarks' input topics: made ready before the first record, and filled with a workload. */
public final class BenchTopics {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private BenchTopics() {}

  /**
   * Creates the topic and waits until every partition takes writes ({@link OpenPartitions}): producing
   * the instant a topic exists can lose the idempotent producer's first batch, and with it records the
   * runs would wait for.
   */
  public static void create(String bootstrap, String topic, int partitions, short replication) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, replication))).all().get();
      OpenPartitions.await(admin, topic, partitions, READY_TIMEOUT);
    }
  }

  /** Sends the events in order, batched as a busy producer would, and waits until all are written. */
  public static void produce(String bootstrap, String topic, List<GenerationEvent> events) {
    try (DriftwatchProducer producer = DriftwatchProducer.connect(bootstrap, topic, Map.of("batch.size", 262_144, "linger.ms", 20))) {
      events.forEach(producer::send);
      producer.flush();
    }
  }
}
