package io.driftwatch.streams.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.embeddings.EmbeddingModel;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.Interleaved;
import io.driftwatch.streams.HashedWords;
import io.driftwatch.streams.OfflineOracle;
import io.driftwatch.streams.scoring.EmbeddingExecutor;
import io.driftwatch.streams.scoring.SemanticScoring;
import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring engine on a real broker with two stream threads sharing three partitions: labelled
 * generations, produced interleaved through the Java SDK, each get exactly one summary, and every
 * generation's score records equal, byte for byte, what the offline scorer writes for the same events,
 * with and without semantic scores (the real model; batches formed by the topology's timing), the model
 * called on the stream threads or off them (results applied whenever they come back).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ScoringEndToEndIT {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

  private static SentenceEmbedder embedder;

  @BeforeAll
  static void loadModel() {
    embedder = SentenceEmbedder.open(EmbeddingModel.bundled());
  }

  @AfterAll
  static void closeModel() {
    embedder.close();
  }

  /**
   * Lexical scores only, and with semantic scores (sentences batched across each task's generations),
   * the model on the stream threads or on a thread of its own.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lexical", "semantic", "semantic-off-stream-thread"})
  void twoStreamThreadsScoreLikeTheOfflineTwin(String variant, EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    boolean semantic = !variant.equals("lexical");
    String name = semantic ? variant + "-it" : "scoring-it";
    Topics topics = Topics.withPrefix(name + ".");
    Map<String, List<GenerationEvent>> generations = generations(12);

    Map<String, List<String>> streamed;
    try (EmbeddingExecutor modelThread = new EmbeddingExecutor(1)) {
      SemanticScoring scoring = !semantic ? null : variant.equals("semantic")
          ? SemanticScoring.of(embedder::embed) : SemanticScoring.of(embedder::embed).offStreamThread(modelThread);
      MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
          .applicationId(name).topics(topics).metricsPort(0).streamThreads(2).semantic(scoring).build();
      try (MonitorApp app = MonitorApp.start(settings)) {
        try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
          for (GenerationEvent event : Interleaved.roundRobin(generations.values())) {
            producer.send(event);
          }
        }
        streamed = readScores(kafka, topics.scores(), generations.size());
        assertThat(app.metrics().tokensTotal()).isPositive();
      }
    }

    assertThat(streamed.keySet()).containsExactlyInAnyOrderElementsOf(generations.keySet());
    Map<String, List<String>> offline = OfflineOracle.scores(generations, semantic ? embedder::embed : null);
    if (semantic) {
      assertThat(streamed.values().stream().flatMap(List::stream)).anyMatch(r -> r.contains("\"semantic_drift_index\""));
    }
    for (String id : generations.keySet()) {
      List<String> records = streamed.get(id);
      assertThat(records.stream().filter(r -> r.contains("\"kind\":\"summary\"")).count()).as(id).isEqualTo(1);
      assertThat(records).as(id).containsExactlyElementsOf(offline.get(id));
    }
  }

  /**
   * A second instance joins while the first has batches with the model: the tasks that move are closed
   * with embeddings in flight, their answers dropped and their texts embedded again by the new owner
   * from the changelogged state. Every generation still gets exactly the offline twin's records, none
   * lost and none doubled. The stand-in model holds every call until the second instance runs, so that
   * batches are in flight when the tasks move.
   */
  @Test
  void aRebalanceWithEmbeddingsInFlightLosesAndDoublesNothing(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    Topics topics = Topics.withPrefix("off-thread-rebalance-it.");
    Map<String, List<GenerationEvent>> generations = generations(12);
    List<GenerationEvent> events = Interleaved.roundRobin(generations.values());
    AtomicBoolean hold = new AtomicBoolean(true);
    AtomicInteger embedded = new AtomicInteger();
    SentenceEncoder heldModel = texts -> {
      while (hold.get()) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      embedded.addAndGet(texts.size());
      return WORD_HASHES.encode(texts);
    };
    MonitorAppSettings first = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state-1"))
        .applicationId("off-thread-rebalance-it").topics(topics).metricsPort(0).build();
    Map<String, List<String>> streamed;
    try (EmbeddingExecutor modelThread = new EmbeddingExecutor(1);
        MonitorApp one = MonitorApp.start(first.toBuilder().semantic(SemanticScoring.of(heldModel).offStreamThread(modelThread)).build());
        DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
      int half = events.size() / 2;
      for (GenerationEvent event : events.subList(0, half)) {
        producer.send(event);
      }
      producer.flush();
      MonitorAppSettings second = first.toBuilder().stateDir(dir.resolve("state-2"))
          .semantic(SemanticScoring.of(heldModel).offStreamThread(modelThread)).build();
      try (MonitorApp two = MonitorApp.start(second)) {
        hold.set(false);
        for (GenerationEvent event : events.subList(half, events.size())) {
          producer.send(event);
        }
        producer.flush();
        streamed = readScores(kafka, topics.scores(), generations.size());
      }
    }

    AtomicInteger needed = new AtomicInteger();
    Map<String, List<String>> offline = OfflineOracle.scores(generations, texts -> {
      needed.addAndGet(texts.size());
      return WORD_HASHES.encode(texts);
    });
    assertThat(embedded.get()).as("texts embedded, more than needed once the moved tasks' batches were dropped")
        .isGreaterThan(needed.get());
    assertThat(streamed.keySet()).containsExactlyInAnyOrderElementsOf(generations.keySet());
    for (String id : generations.keySet()) {
      assertThat(streamed.get(id)).as(id).containsExactlyElementsOf(offline.get(id));
    }
  }

  private static final SentenceEncoder WORD_HASHES = new HashedWords();

  private static Map<String, List<GenerationEvent>> generations(int count) {
    DemoCorpus corpus = DemoCorpus.load();
    Random random = new Random(11);
    Map<String, List<GenerationEvent>> out = new HashMap<>();
    for (int i = 0; i < count; i++) {
      Scenario scenario = Scenario.values()[i % Scenario.values().length];
      Scenario.Script script = scenario.script(corpus, random, 200);
      String id = "it-" + scenario.label() + "-" + i;
      List<GenerationEvent> events = new ArrayList<>();
      events.add(new GenerationEvent.Start(1, id, "it", "model-" + (i % 2), script.prompt(), null, Map.of(), T0));
      for (int seq = 0; seq < script.tokens().size(); seq++) {
        events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, -0.1 * (seq % 7), null,
            T0.plusMillis(25L * seq)));
      }
      events.add(new GenerationEvent.End(1, id, "length", T0.plusSeconds(10)));
      out.put(id, events);
    }
    return out;
  }

  private static Map<String, List<String>> readScores(EmbeddedKafkaBroker kafka, String topic, int generations) throws Exception {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "scoring-it-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, List<String>> out = new HashMap<>();
    int summaries = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (summaries < generations && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          String json = new String(record.value(), UTF_8);
          out.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(json);
          if (EventCodec.fromJson(record.value(), ScoreRecord.class).kind().equals(ScoreRecord.SUMMARY)) {
            summaries++;
          }
        }
      }
      // Anything after the summaries would be a duplicate: read on briefly to catch it.
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
        out.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(new String(record.value(), UTF_8));
      }
    }
    return out;
  }
}
