package io.driftwatch.benchmarks.pipeline;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/** The benchmarks' input topics: made ready before the first record, and filled with a workload. */
public final class BenchTopics {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private BenchTopics() {}

  /**
   * Creates the topic and waits until every partition's leader answers: producing the instant a topic
   * exists can meet a leader not yet serving, and the idempotent producer's retried first batch can then
   * be refused for good behind later ones, losing records the runs would wait for. On a cluster the
   * topic's metadata reaches the other nodes a moment later, so the question is asked until all know it.
   */
  public static void create(String bootstrap, String topic, int partitions, short replication) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, replication))).all().get();
      Map<TopicPartition, OffsetSpec> leaders = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        leaders.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (true) {
        try {
          admin.listOffsets(leaders).all().get();
          return;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(200);
        }
      }
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
