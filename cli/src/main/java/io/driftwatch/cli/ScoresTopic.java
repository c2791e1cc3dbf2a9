package io.driftwatch.cli;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.compare.RunScores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads runs from the scores and alerts topics by run id: every record from the start of each topic to
 * its end as it was when the read began (a run still being scored is read as far as it got), with no
 * consumer group, so nothing is committed. Records of transactions that were aborted are not read.
 */
final class ScoresTopic {

  private ScoresTopic() {}

  static List<RunScores> read(String bootstrap, Topics topics, List<String> runIds) {
    Map<String, RunScores.Builder> runs = new LinkedHashMap<>();
    runIds.forEach(id -> runs.put(id, new RunScores.Builder(id)));
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.scores(), topics.alerts())) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      if (partitions.isEmpty()) {
        throw new UserFacingException("no topic " + topics.scores() + " at " + bootstrap + "; is a monitor (driftwatch run) writing there? "
            + "check --topic-prefix");
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long total = 0;
      for (TopicPartition p : partitions) {
        total += end.get(p) - consumer.position(p);
      }
      try (ProgressBar bar = ProgressBar.onStderr("reading " + topics.scores(), total, "records")) {
        long read = 0;
        // Transaction markers take offsets too: the position, not the count of records, says when a partition is done.
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            read++;
            if (record.value() == null) {
              continue;
            }
            add(runs, record, topics);
          }
          bar.advanceTo(read);
        }
      }
    } catch (KafkaException e) {
      throw new UserFacingException("cannot read " + topics.scores() + " at " + bootstrap + ": " + e.getMessage()
          + "; is Kafka running there?");
    }
    List<RunScores> out = new ArrayList<>();
    for (RunScores.Builder b : runs.values()) {
      RunScores run = b.build();
      if (run.generations() == 0) {
        throw new UserFacingException("run id '" + run.label() + "' has no summary record on " + topics.scores()
            + "; check the id (driftwatch replay prints it) or wait until the monitor has scored it");
      }
      out.add(run);
    }
    return out;
  }

  private static void add(Map<String, RunScores.Builder> runs, ConsumerRecord<byte[], byte[]> record, Topics topics) {
    try {
      if (record.topic().equals(topics.scores())) {
        ScoreRecord s = EventCodec.fromJson(record.value(), ScoreRecord.class);
        RunScores.Builder run = runs.get(s.runId());
        if (run != null) {
          run.add(s);
        }
      } else {
        AlertEvent a = EventCodec.fromJson(record.value(), AlertEvent.class);
        RunScores.Builder run = runs.get(a.runId());
        if (run != null) {
          run.add(a);
        }
      }
    } catch (IOException e) {
      // The topics are written by the monitor alone; a record it did not write is named and skipped.
      System.err.println("skipped an unreadable record at " + record.topic() + "/" + record.partition() + "@" + record.offset() + ": "
          + new String(record.value(), 0, Math.min(80, record.value().length), StandardCharsets.UTF_8));
    }
  }
}
