package io.driftwatch.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.producers.sdk.Chunking;
import io.driftwatch.producers.sdk.GenerationInfo;
import io.driftwatch.producers.sdk.GenerationStream;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.OfflineScorer;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's chunked and per-token publishing of the same generations (same tokens, logprobs and arrival
 * times) must give the monitor's output byte for byte: score records, alerts and spans, offline and in
 * the topology. Only the interleaving of different generations' records may differ, so output is
 * compared generation by generation.
 */
class ChunkedInputEquivalenceTest {

  private static final Instant T0 = Instant.parse("2026-12-04T18:00:00.000001Z");
  private static final DemoCorpus CORPUS = DemoCorpus.load();

  @TempDir static Path dir;
  private static AttributionIndex index;

  @BeforeAll
  static void buildIndex() throws Exception {
    IndexBuilder builder = new IndexBuilder(dir.resolve("index"));
    for (Map.Entry<String, String> reference : CORPUS.references().entrySet()) {
      builder.addText(reference.getKey(), reference.getValue());
    }
    builder.build();
    index = AttributionIndex.open(dir.resolve("index"));
  }

  @Test
  void chunkedAndPerTokenInputScoreTheSame() throws Exception {
    List<byte[]> perToken = publish(Chunking.NONE);
    List<byte[]> capped = publish(new Chunking(Duration.ofSeconds(30), 7, 256 * 1024));
    List<byte[]> lingered = publish(Chunking.DEFAULT);
    long tokenEvents = perToken.stream().filter(r -> typeOf(r).equals("token")).count();
    assertThat(perToken).noneMatch(r -> typeOf(r).equals("chunk"));
    assertThat(capped).anyMatch(r -> typeOf(r).equals("chunk"));
    assertThat(capped.size()).isLessThan(perToken.size() / 4);
    assertThat(tokenEvents).isGreaterThan(2_000);

    Outputs expected = offline(perToken);
    assertThat(expected.scores).isNotEmpty();
    assertThat(expected.alerts).isNotEmpty();
    assertThat(expected.spans).isNotEmpty();
    assertThat(expected.scores.values()).anyMatch(records -> records.stream().anyMatch(s -> s.contains("\"tokens_per_second\"")));
    for (List<byte[]> input : List.of(capped, lingered)) {
      assertThat(offline(input)).isEqualTo(expected);
    }
    for (List<byte[]> input : List.of(perToken, capped, lingered)) {
      assertThat(streaming(input)).isEqualTo(expected);
    }
  }

  /**
   * Interleaved generations of every scenario (loops, verbatim copies, drift), published by the SDK with
   * a clock that steps 2-60 ms a call, seeded so that every form sees the same times.
   */
  private static List<byte[]> publish(Chunking chunking) throws Exception {
    Random random = new Random(5);
    MockProducer<String, byte[]> kafka = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    try (TokenStreamPublisher publisher = new TokenStreamPublisher(kafka, "tokens", new SteppingClock(new Random(17)), 100_000, chunking)) {
      List<GenerationStream> streams = new ArrayList<>();
      List<List<String>> tokens = new ArrayList<>();
      int n = 0;
      for (Scenario scenario : Scenario.values()) {
        for (int i = 0; i < 2; i++) {
          Scenario.Script script = scenario.script(CORPUS, random, 260);
          streams.add(publisher.begin(new GenerationInfo("gen-" + n++, "run", "model", script.prompt(), null,
              Map.of("scenario", scenario.label()))));
          tokens.add(new ArrayList<>(script.tokens()));
        }
      }
      while (!streams.isEmpty()) {
        int g = random.nextInt(streams.size());
        GenerationStream stream = streams.get(g);
        String text = tokens.get(g).remove(0);
        double logprob = -random.nextDouble() * 6;
        stream.token(text, random.nextInt(50_000), logprob,
            List.of(new GenerationEvent.TopLogprob(text, logprob), new GenerationEvent.TopLogprob(" other", logprob - 1)));
        if (tokens.get(g).isEmpty()) {
          stream.end("length");
          streams.remove(g);
          tokens.remove(g);
        }
      }
      publisher.close(Duration.ofSeconds(30));
      assertThat(publisher.stats().failed()).isZero();
    }
    return kafka.history().stream().map(ProducerRecord::value).toList();
  }

  /** Score, alert and span records by generation, each generation's in order. */
  private record Outputs(Map<String, List<String>> scores, Map<String, List<String>> alerts, Map<String, List<String>> spans) {
    Outputs() {
      this(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    void add(Map<String, List<String>> into, byte[] json) {
      String s = new String(json, UTF_8);
      into.computeIfAbsent(generationOf(s), k -> new ArrayList<>()).add(s);
    }
  }

  private static ScoringEngine engine() {
    return new ScoringEngine(ScoringSettings.DEFAULTS, false,
        new AttributionScoring(new StreamingMatcher(index, MatchSettings.DEFAULTS)));
  }

  private static Outputs offline(List<byte[]> input) {
    Outputs out = new Outputs();
    OfflineScorer scorer = new OfflineScorer(engine(), "test", new OfflineScorer.Sink() {
      @Override
      public void score(byte[] json) {
        out.add(out.scores, json);
      }

      @Override
      public void alert(byte[] json) {
        out.add(out.alerts, json);
      }

      @Override
      public void deadLetter(byte[] json) {
        throw new AssertionError("dead letter: " + new String(json, UTF_8));
      }

      @Override
      public void span(byte[] json) {
        out.add(out.spans, json);
      }
    });
    long line = 0;
    for (byte[] record : input) {
      scorer.accept(record, ++line);
    }
    return out;
  }

  private static Outputs streaming(List<byte[]> input) {
    Topics topics = Topics.defaults();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "chunked-equivalence");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    MonitorSettings settings = MonitorSettings.DEFAULTS.withIdleTimeout(Duration.ofHours(1));
    AttributionScoring attribution = new AttributionScoring(new StreamingMatcher(index, MatchSettings.DEFAULTS));
    Outputs out = new Outputs();
    try (TopologyTestDriver driver = new TopologyTestDriver(
        DriftwatchTopology.build(TopologyOptions.builder(topics, new DriftwatchMetrics(new PrometheusRegistry(), 10))
            .monitor(settings).attribution(attribution).build()), props, T0)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic(topics.tokens(), new ByteArraySerializer(), new ByteArraySerializer());
      for (byte[] record : input) {
        in.pipeInput(generationOf(new String(record, UTF_8)).getBytes(UTF_8), record);
      }
      driver.createOutputTopic(topics.scores(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .readValuesToList().forEach(v -> out.add(out.scores, v));
      driver.createOutputTopic(topics.alerts(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .readValuesToList().forEach(v -> out.add(out.alerts, v));
      driver.createOutputTopic(topics.spans(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .readValuesToList().forEach(v -> out.add(out.spans, v));
      assertThat(driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .readValuesToList()).isEmpty();
    }
    return out;
  }

  private static String typeOf(byte[] record) {
    try {
      return EventCodec.decode(record).typeName();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String generationOf(String json) {
    int at = json.indexOf("\"generation_id\":\"") + 17;
    return json.substring(at, json.indexOf('"', at));
  }

  /** Each reading moves time on by 2-60 ms and a few microseconds, as tokens arriving from a model. */
  private static final class SteppingClock extends Clock {
    private final Random steps;
    private Instant now = T0;

    SteppingClock(Random steps) {
      this.steps = steps;
    }

    @Override
    public synchronized Instant instant() {
      now = now.plusMillis(2 + steps.nextInt(59)).plusNanos(1_000L * steps.nextInt(1_000));
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
