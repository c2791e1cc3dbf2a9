package io.driftwatch.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation state above Kafka's default 1 MB record limit reaches its changelog: one chunk of
 * thousands of one-word sentences, with semantic scores on, leaves them all waiting for embeddings
 * in the state (docs/memory.md). With the store cache off, that state is written to the changelog
 * as it is; the monitor must take it and go on, not fail the task on every retry.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class LargeStateIT {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");

  @Test
  void aChunkOfThousandsOfSentencesIsScoredWithTheCacheOff(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    Topics topics = Topics.withPrefix("large-state.");
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir)
        .applicationId("large-state").topics(topics).metricsPort(0)
        .kafkaOverrides(Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0")).build();
    // A stand-in encoder: the state's size, not the vectors, is under test.
    SemanticScoring semantic = SemanticScoring.of(sentences -> {
      float[][] out = new float[sentences.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = new float[] {1f, (sentences.get(i).hashCode() % 7) / 7f, 0.5f};
      }
      return out;
    });
    List<GenerationEvent.ChunkToken> tokens = new ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      tokens.add(new GenerationEvent.ChunkToken(" w" + (i % 50) + ".", null, null, null));
    }
    try (MonitorApp app = MonitorApp.start(settings.toBuilder().semantic(semantic).build())) {
      try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
        producer.send(new GenerationEvent.Start(1, "huge-chunk", "it", "m", "Say many short things.", null, Map.of(), T0));
        producer.send(new GenerationEvent.Chunk(1, "huge-chunk", 0L, tokens, T0.plusSeconds(1)));
        producer.send(new GenerationEvent.End(1, "huge-chunk", "stop", T0.plusSeconds(2)));
      }
      String summary = awaitSummary(kafka, topics.scores());
      assertThat(summary).contains("\"close_reason\":\"end:stop\"", "\"semantic_drift_index\"");
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  private static String awaitSummary(EmbeddedKafkaBroker kafka, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "large-state-reader");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value().contains("\"kind\":\"summary\"")) {
            return r.value();
          }
        }
      }
    }
    throw new AssertionError("no summary within 90 s: the large state did not reach its changelog");
  }
}
