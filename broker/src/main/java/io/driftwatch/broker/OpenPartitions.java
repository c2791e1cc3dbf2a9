package io.driftwatch.broker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until a topic just created takes writes. Metadata names a partition's leader a moment before
 * that broker has opened the partition; an idempotent producer writing then can have its first batch
 * refused and a later one accepted, and then retries the first as out of sequence until it expires
 * (KAFKA-18202). ListOffsets is answered only by a leader that has the partition open; the admin
 * client retries a leader that is not ready but gives up at once on a topic its metadata lacks, which
 * on a cluster reaches the other nodes a moment later, so that is asked again here.
 */
public final class OpenPartitions {

  private OpenPartitions() {}

  /**
   * Returns once partitions {@code 0 .. partitions-1} of {@code topic} answer at their leaders.
   *
   * @throws ExecutionException the first error that is not retriable, or the last one once {@code patience} ran out
   * @throws TimeoutException nothing answered within {@code patience}
   */
  public static void await(Admin admin, String topic, int partitions, Duration patience)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        admin.listOffsets(latest).all().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(50);
    }
  }
}
