package io.driftwatch.cli;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.Score;
import io.driftwatch.contract.ScoreRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the scores and alerts topics as any downstream consumer would (committed records only), so the demo reports
 * what really reached Kafka rather than what the monitor believes it wrote.
 */
final class ScoreTail implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final AtomicLong records = new AtomicLong();
  private final Map<String, ScoreRecord> summaries = new ConcurrentHashMap<>();
  private final Map<String, List<String>> firedRules = new ConcurrentHashMap<>();
  private final String scoresTopic;
  private final RecentMean commitment = new RecentMean(200);
  private final RecentMean referential = new RecentMean(200);
  private final RecentMean semanticDrift = new RecentMean(200);
  private final RecentMean radius = new RecentMean(200);
  private final RecentMean coverage = new RecentMean(200);
  private volatile boolean running = true;

  ScoreTail(String bootstrapServers, String topic, String alertsTopic) {
    this.scoresTopic = topic;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "driftwatch-demo-reader-" + ProcessHandle.current().pid());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic, alertsTopic));
    thread = new Thread(this::run, "driftwatch-demo-score-tail");
    thread.setDaemon(true);
    thread.start();
  }

  long records() {
    return records.get();
  }

  /** Mean global commitment over the latest sentence records, NaN before any. */
  double recentCommitment() {
    return commitment.mean();
  }

  /** Mean semantic drift index over the latest sentence records, NaN before any. */
  double recentSemanticDrift() {
    return semanticDrift.mean();
  }

  /** Mean coherence radius (tokens) over the latest sentence records, NaN before any. */
  double recentRadius() {
    return radius.mean();
  }

  /** Mean attribution coverage at 12 words over the latest sentence records, NaN before any. */
  double recentCoverage() {
    return coverage.mean();
  }

  /** Mean referential drift over the latest sentence records, NaN before any. */
  double recentReferentialDrift() {
    return referential.mean();
  }

  /** The mean of the latest n values added (nulls skipped). */
  private static final class RecentMean {
    private final double[] values;
    private int next;
    private int size;

    RecentMean(int n) {
      values = new double[n];
    }

    synchronized void add(Double value) {
      if (value == null) {
        return;
      }
      values[next] = value;
      next = (next + 1) % values.length;
      size = Math.min(size + 1, values.length);
    }

    synchronized double mean() {
      double sum = 0;
      for (int i = 0; i < size; i++) {
        sum += values[i];
      }
      return size == 0 ? Double.NaN : sum / size;
    }
  }

  /** Rules that fired, by generation id. */
  Map<String, List<String>> firedRules() {
    return Map.copyOf(firedRules);
  }

  /** The summary record of each closed generation seen so far, by generation id. */
  Map<String, ScoreRecord> summaries() {
    return Map.copyOf(summaries);
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          try {
            if (!record.topic().equals(scoresTopic)) {
              AlertEvent alert = EventCodec.fromJson(record.value(), AlertEvent.class);
              if (AlertEvent.FIRING.equals(alert.state())) {
                firedRules.computeIfAbsent(alert.generationId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(alert.rule());
              }
              continue;
            }
            records.incrementAndGet();
            ScoreRecord score = EventCodec.fromJson(record.value(), ScoreRecord.class);
            if (ScoreRecord.SUMMARY.equals(score.kind())) {
              summaries.put(score.generationId(), score);
            } else {
              commitment.add(score.scores().get(Score.GLOBAL_COMMITMENT.wireName()));
              referential.add(score.scores().get(Score.REFERENTIAL_DRIFT.wireName()));
              semanticDrift.add(score.scores().get(Score.SEMANTIC_DRIFT_INDEX.wireName()));
              radius.add(score.scores().get(Score.SENTENCE_COHERENCE_RADIUS.wireName()));
              coverage.add(score.scores().get(Score.COVERAGE_12.wireName()));
            }
          } catch (IOException e) {
            // Not ours to judge here: the demo only reports what it can read.
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
