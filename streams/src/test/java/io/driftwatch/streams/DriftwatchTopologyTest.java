package io.driftwatch.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.GenerationEvent.End;
import io.driftwatch.contract.GenerationEvent.Start;
import io.driftwatch.contract.GenerationEvent.Token;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.stats.StatsSettings;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.serde.JsonSerde;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriftwatchTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private final Topics topics = Topics.defaults();
  private final MonitorSettings settings =
      new MonitorSettings(new StatsSettings(16, 3, 4), Duration.ofSeconds(30), Duration.ofSeconds(1));
  private DriftwatchMetrics metrics;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> tokens;
  private TestOutputTopic<String, ScoreRecord> scores;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void setUp() {
    metrics = new DriftwatchMetrics(new PrometheusRegistry(), 5);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(DriftwatchTopology.build(topics, settings, metrics), props, T0);
    tokens = driver.createInputTopic(topics.tokens(), new ByteArraySerializer(), new ByteArraySerializer());
    scores = driver.createOutputTopic(topics.scores(), new StringDeserializer(), JsonSerde.of(ScoreRecord.class).deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(), JsonSerde.of(DeadLetter.class).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void aGenerationYieldsWindowScoresAndOneSummary() {
    send(new Start(1, "g-1", "run-1", "model-a", "Tell a story.", null, Map.of(), T0));
    for (int i = 0; i < 10; i++) {
      send(token("g-1", i, " word" + i));
    }
    send(new End(1, "g-1", "stop", T0.plusSeconds(2)));

    List<ScoreRecord> out = scores.readValuesToList();
    assertThat(out).extracting(ScoreRecord::kind).containsExactly("window", "window", "summary");
    assertThat(out).extracting(ScoreRecord::lastSeq).containsExactly(3L, 7L, 9L);
    assertThat(out).allSatisfy(r -> {
      assertThat(r.generationId()).isEqualTo("g-1");
      assertThat(r.model()).isEqualTo("model-a");
      assertThat(r.runId()).isEqualTo("run-1");
      assertThat(r.scores()).containsKeys("tokens_per_second", "repetition_rate");
    });
    assertThat(out.get(2).closeReason()).isEqualTo("end:stop");
    assertThat(out.get(2).tokens()).isEqualTo(10);
    assertThat(metrics.tokensTotal()).isEqualTo(10);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void aLoopingGenerationScoresHighRepetition() {
    send(new Start(1, "loop", "run-1", "model-a", "", null, Map.of(), T0));
    for (int i = 0; i < 32; i++) {
      send(token("loop", i, List.of(" I", " am", " sorry", ".").get(i % 4)));
    }
    List<ScoreRecord> out = scores.readValuesToList();
    // A full 16-token window of a 4-token loop: 14 trigrams, only the first 4 new.
    assertThat(out.get(out.size() - 1).scores().get("repetition_rate")).isCloseTo(10.0 / 14, within(1e-12));
  }

  @Test
  void badRecordsGoToDeadLettersWithTheirReasonAndProcessingGoesOn() {
    tokens.pipeInput("g-2".getBytes(UTF_8), "{not json".getBytes(UTF_8));
    tokens.pipeInput("g-2".getBytes(UTF_8), "{\"v\":1,\"type\":\"token\",\"generation_id\":\"g-2\",\"text\":\"x\",\"event_time\":\"2026-11-24T06:00:00Z\"}".getBytes(UTF_8));
    tokens.pipeInput("other".getBytes(UTF_8), EventCodec.encode(token("g-2", 0, "x")));
    tokens.pipeInput(null, EventCodec.encode(token("g-2", 0, "x")));
    send(new Start(1, "g-2", "run-1", "model-a", "", null, Map.of(), T0));
    send(new End(1, "g-2", "stop", T0));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertThat(letters).extracting(DeadLetter::reason)
        .containsExactly("json.malformed", "seq.required", "key.mismatch", "key.required");
    assertThat(letters.get(0).payload()).isEqualTo("{not json");
    assertThat(letters.get(0).sourceTopic()).isEqualTo(topics.tokens());
    assertThat(letters.get(0).sourceOffset()).isZero();
    assertThat(letters.get(2).sourceOffset()).isEqualTo(2);
    assertThat(metrics.deadLettersTotal()).isEqualTo(4);
    assertThat(scores.readValuesToList()).extracting(ScoreRecord::closeReason).containsExactly("end:stop");
  }

  @Test
  void generationsThatGoQuietAreClosedAsIdle() {
    send(new Start(1, "quiet", "run-1", "model-a", "", null, Map.of(), T0));
    send(token("quiet", 0, "Hello"));
    send(new Start(1, "busy", "run-1", "model-a", "", null, Map.of(), T0));
    driver.advanceWallClockTime(Duration.ofSeconds(20));
    send(token("busy", 0, "Hi"));
    driver.advanceWallClockTime(Duration.ofSeconds(15));

    List<ScoreRecord> out = scores.readValuesToList();
    assertThat(out).singleElement().satisfies(r -> {
      assertThat(r.generationId()).isEqualTo("quiet");
      assertThat(r.kind()).isEqualTo("summary");
      assertThat(r.closeReason()).isEqualTo("idle");
      assertThat(r.tokens()).isEqualTo(1);
    });
    assertThat(metrics.activeGenerationsNow()).isEqualTo(1);
  }

  @Test
  void stateSurvivesInTheStoreBetweenRecords() {
    send(new Start(1, "g-3", "run-1", "model-b", "", null, Map.of(), T0));
    send(token("g-3", 0, "a"));
    send(token("g-3", 1, "b"));
    assertThat(driver.<String, Object>getKeyValueStore(DriftwatchTopology.STATS_STORE).get("g-3")).isNotNull();
    send(new End(1, "g-3", "length", T0));
    assertThat(driver.<String, Object>getKeyValueStore(DriftwatchTopology.STATS_STORE).get("g-3")).isNull();
  }

  private void send(GenerationEvent event) {
    tokens.pipeInput(event.generationId().getBytes(UTF_8), EventCodec.encode(event), event.eventTime());
  }

  private static Token token(String id, long seq, String text) {
    return new Token(1, id, seq, text, null, -0.5, null, T0.plusMillis(50 * seq));
  }
}
