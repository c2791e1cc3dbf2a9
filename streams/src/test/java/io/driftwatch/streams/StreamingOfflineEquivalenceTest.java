package io.driftwatch.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.embeddings.EmbeddingModel;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.scoring.SemanticScoring;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The topology and the offline scorer ({@code driftwatch score}) run the same engine; for the same input
 * they must write the same bytes: every score record, alert and dead letter (dead letters compared by
 * reason, since their provenance fields differ by nature: topic and offset versus file and line).
 */
class StreamingOfflineEquivalenceTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private static final DemoCorpus CORPUS = DemoCorpus.load();

  @Test
  void everyScenarioScoresTheSameStreamingAndOffline() {
    Random random = new Random(7);
    List<byte[]> input = new ArrayList<>();
    int n = 0;
    for (Scenario scenario : Scenario.values()) {
      for (int i = 0; i < 3; i++) {
        Scenario.Script script = scenario.script(CORPUS, random, 300);
        input.addAll(encode(events(scenario.label() + "-" + n++, script, random)));
      }
    }
    assertSameOutput(input);
  }

  /** Property: random interleavings of generations with chunks, duplicates, late events and junk. */
  @Test
  void randomStreamsScoreTheSameStreamingAndOffline() {
    for (long seed = 1; seed <= 15; seed++) {
      Random random = new Random(seed);
      List<List<byte[]>> generations = new ArrayList<>();
      for (int g = 0; g < 1 + random.nextInt(4); g++) {
        Scenario scenario = Scenario.values()[random.nextInt(Scenario.values().length)];
        List<byte[]> events = encode(events("gen-" + seed + "-" + g, scenario.script(CORPUS, random, 40 + random.nextInt(200)), random));
        mutate(events, random);
        generations.add(events);
      }
      assertSameOutput(interleave(generations, random));
    }
  }

  /**
   * Baselines learned from the traffic itself (a short warm-up, so that most records carry
   * percentiles and a percentile rule fires): the same bytes streaming and offline, across the warm-up
   * boundary, with generations of two models interleaved.
   */
  @Test
  void learnedBaselinesScoreTheSameStreamingAndOffline() {
    Random random = new Random(21);
    // Normal traffic first (the warm-up, crossed while these are still interleaved), then every scenario.
    List<List<byte[]>> normal = new ArrayList<>();
    List<List<byte[]>> mixed = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < 12; i++) {
      normal.add(encode(events("steady-" + n++, Scenario.STEADY.script(CORPUS, random, 200), random)));
    }
    for (int round = 0; round < 3; round++) {
      for (Scenario scenario : Scenario.values()) {
        mixed.add(encode(events(scenario.label() + "-" + n++, scenario.script(CORPUS, random, 200), random)));
      }
    }
    BaselineSettings baseline = new BaselineSettings(4, null, Map.of());
    ScoringSettings scoring = ScoringSettings.DEFAULTS.withAlertRules(List.of(
        new AlertRule("loop_p99", "loop_repeats_pct", 99, 90, 1, 2), new AlertRule("drift_p99", "drift_index_pct", 99, 90, 2, 2)));
    List<byte[]> input = new ArrayList<>(interleave(normal, random));
    input.addAll(interleave(mixed, random));
    Outputs offline = offline(input, null, scoring, baseline);
    Outputs streaming = streaming(input, null, null, scoring, baseline);
    assertThat(offline.scores).anyMatch(s -> s.contains("\"loop_repeats_pct\""));
    assertThat(offline.scores).anyMatch(s -> s.contains("\"max_drift_index_pct\""));
    assertThat(offline.alerts).anyMatch(s -> s.contains("\"loop_p99\""));
    assertThat(streaming.scores).containsExactlyElementsOf(offline.scores);
    assertThat(streaming.alerts).containsExactlyElementsOf(offline.alerts);
  }

  /**
   * With semantic scores, sentences wait for embeddings in batches; the topology batches by size (here
   * 5) and by wall-clock time (advanced at random between records), the offline scorer by size (64) and
   * at the end. Each generation's records must come out the same, in the same order, whatever the
   * batching; only the interleaving of different generations' records may differ.
   */
  @Test
  void semanticScoresDoNotDependOnBatching() {
    Random random = new Random(11);
    List<List<byte[]>> generations = new ArrayList<>();
    int n = 0;
    for (Scenario scenario : Scenario.values()) {
      for (int i = 0; i < 2; i++) {
        List<byte[]> events = encode(events(scenario.label() + "-" + n++, scenario.script(CORPUS, random, 240), random));
        if (i == 1) {
          mutate(events, random);
        }
        generations.add(events);
      }
    }
    List<byte[]> input = interleave(generations, random);
    Outputs offline = offline(input, new EmbeddingBatch(semanticEngine(), EMBEDDER::embed, 64));
    Outputs streaming = streaming(input, new SemanticScoring(EMBEDDER::embed, 5, Duration.ofMillis(20)), random);
    assertThat(offline.scores).anyMatch(s -> s.contains("\"semantic_drift_index\""));
    assertThat(offline.scores).anyMatch(s -> s.contains("\"sentence_coherence_radius\""));
    assertThat(byGeneration(streaming.scores)).isEqualTo(byGeneration(offline.scores));
    assertThat(byGeneration(streaming.alerts)).isEqualTo(byGeneration(offline.alerts));
    assertThat(streaming.deadLetterReasons).containsExactlyElementsOf(offline.deadLetterReasons);
  }

  private static final SentenceEmbedder EMBEDDER = SentenceEmbedder.open(EmbeddingModel.bundled());

  @AfterAll
  static void closeModel() {
    EMBEDDER.close();
  }

  private static ScoringEngine semanticEngine() {
    return new ScoringEngine(ScoringSettings.DEFAULTS, true);
  }

  private static Map<String, List<String>> byGeneration(List<String> records) {
    Map<String, List<String>> grouped = new TreeMap<>();
    for (String json : records) {
      String key = new String(keyOf(json.getBytes(UTF_8)), UTF_8);
      grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(json);
    }
    return grouped;
  }

  private static void assertSameOutput(List<byte[]> input) {
    Outputs offline = offline(input, null);
    Outputs streaming = streaming(input, null, null);
    assertThat(offline.scores).isNotEmpty();
    assertThat(streaming.scores).containsExactlyElementsOf(offline.scores);
    assertThat(streaming.alerts).containsExactlyElementsOf(offline.alerts);
    assertThat(streaming.deadLetterReasons).containsExactlyElementsOf(offline.deadLetterReasons);
  }

  /** Output as comparable strings, in order. */
  private record Outputs(List<String> scores, List<String> alerts, List<String> deadLetterReasons) {}

  private static Outputs offline(List<byte[]> input, EmbeddingBatch batch) {
    return offline(input, batch, ScoringSettings.DEFAULTS, BaselineSettings.DEFAULTS);
  }

  private static Outputs offline(List<byte[]> input, EmbeddingBatch batch, ScoringSettings scoring, BaselineSettings baseline) {
    Outputs out = new Outputs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    ScoringEngine engine = batch == null ? new ScoringEngine(scoring) : semanticEngine();
    OfflineScorer scorer = new OfflineScorer(engine, batch == null ? null : new EmbeddingBatch(engine, EMBEDDER::embed, 64),
        new InMemoryGenerationStore(Baselines.inMemory(baseline)), "test", new OfflineScorer.Sink() {
      @Override
      public void score(byte[] json) {
        out.scores.add(new String(json, UTF_8));
      }

      @Override
      public void alert(byte[] json) {
        out.alerts.add(new String(json, UTF_8));
      }

      @Override
      public void deadLetter(byte[] json) {
        out.deadLetterReasons.add(reason(json));
      }
    });
    long line = 0;
    for (byte[] record : input) {
      scorer.accept(record, ++line);
    }
    if (batch != null) {
      scorer.finish();
    }
    return out;
  }

  private static Outputs streaming(List<byte[]> input, SemanticScoring semantic, Random wallClock) {
    return streaming(input, semantic, wallClock, ScoringSettings.DEFAULTS, BaselineSettings.DEFAULTS);
  }

  private static Outputs streaming(List<byte[]> input, SemanticScoring semantic, Random wallClock, ScoringSettings scoring,
      BaselineSettings baseline) {
    Topics topics = Topics.defaults();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "equivalence");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    MonitorSettings settings = MonitorSettings.DEFAULTS.withIdleTimeout(Duration.ofHours(1)).withScoring(scoring).withBaseline(baseline);
    try (TopologyTestDriver driver = new TopologyTestDriver(
        DriftwatchTopology.build(new TopologyOptions(topics, settings, new DriftwatchMetrics(new PrometheusRegistry(), 10),
            Optional.ofNullable(semantic), Optional.empty(), Optional.empty())), props, T0)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic(topics.tokens(), new ByteArraySerializer(), new ByteArraySerializer());
      for (byte[] record : input) {
        in.pipeInput(keyOf(record), record);
        if (wallClock != null && wallClock.nextInt(20) == 0) {
          driver.advanceWallClockTime(Duration.ofMillis(wallClock.nextInt(40)));
        }
      }
      if (semantic != null) {
        // The last sentences wait for the batch's time limit.
        driver.advanceWallClockTime(semantic.maxDelay().multipliedBy(2));
      }
      var scores = driver.createOutputTopic(topics.scores(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      var alerts = driver.createOutputTopic(topics.alerts(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      var dead = driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      return new Outputs(
          scores.readValuesToList().stream().map(b -> new String(b, UTF_8)).toList(),
          alerts.readValuesToList().stream().map(b -> new String(b, UTF_8)).toList(),
          dead.readValuesToList().stream().map(StreamingOfflineEquivalenceTest::reason).toList());
    }
  }

  /** A generation's events: start, tokens (some in chunks, some with logprobs), end. */
  private static List<GenerationEvent> events(String id, Scenario.Script script, Random random) {
    List<GenerationEvent> out = new ArrayList<>();
    out.add(new GenerationEvent.Start(1, id, "run", "model-" + (id.hashCode() & 1), script.prompt(), null,
        Map.of("scenario", script.scenario().label()), T0));
    List<String> tokens = script.tokens();
    int seq = 0;
    while (seq < tokens.size()) {
      Instant at = T0.plusMillis(30L * seq);
      if (random.nextInt(5) == 0 && seq + 3 < tokens.size()) {
        List<GenerationEvent.ChunkToken> chunk = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          chunk.add(new GenerationEvent.ChunkToken(tokens.get(seq + i), null, -random.nextDouble() * 4, null));
        }
        out.add(new GenerationEvent.Chunk(1, id, (long) seq, chunk, at));
        seq += 3;
      } else {
        Double logprob = random.nextBoolean() ? -random.nextDouble() * 5 : null;
        out.add(new GenerationEvent.Token(1, id, (long) seq, tokens.get(seq), null, logprob, null, at));
        seq++;
      }
    }
    out.add(new GenerationEvent.End(1, id, "length", T0.plusMillis(30L * seq)));
    return out;
  }

  private static List<byte[]> encode(List<GenerationEvent> events) {
    return new ArrayList<>(events.stream().map(EventCodec::encode).toList());
  }

  /** Duplicates, a dropped start, a late token after the end, malformed records. */
  private static void mutate(List<byte[]> events, Random random) {
    for (int i = 0; i < 3; i++) {
      int at = 1 + random.nextInt(events.size() - 1);
      events.add(at, events.get(at - 1));
    }
    if (random.nextInt(3) == 0) {
      events.remove(0);
    }
    if (random.nextInt(3) == 0) {
      events.add(events.get(events.size() / 2));
    }
    if (random.nextInt(2) == 0) {
      events.add(random.nextInt(events.size()), "{\"v\":1,\"type\":\"token\",\"generation_id\":\"x\"".getBytes(UTF_8));
    }
  }

  private static List<byte[]> interleave(List<List<byte[]>> generations, Random random) {
    List<byte[]> out = new ArrayList<>();
    List<List<byte[]>> open = new ArrayList<>();
    generations.forEach(g -> open.add(new ArrayList<>(g)));
    while (!open.isEmpty()) {
      List<byte[]> g = open.get(random.nextInt(open.size()));
      out.add(g.remove(0));
      if (g.isEmpty()) {
        open.remove(g);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Records are keyed by generation id; malformed ones by whatever their producer chose. */
  private static byte[] keyOf(byte[] record) {
    String json = new String(record, UTF_8);
    int at = json.indexOf("\"generation_id\":\"");
    if (at < 0) {
      return null;
    }
    int start = at + 17;
    return json.substring(start, json.indexOf('"', start)).getBytes(UTF_8);
  }

  private static String reason(byte[] json) {
    String s = new String(json, UTF_8);
    int at = s.indexOf("\"reason\":\"") + 10;
    return s.substring(at, s.indexOf('"', at));
  }
}
