package io.driftwatch.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.GenerationEvent.End;
import io.driftwatch.contract.GenerationEvent.Start;
import io.driftwatch.contract.GenerationEvent.Token;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.streams.ingest.DeadLetters;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.scoring.GenerationScoringProcessor;
import io.driftwatch.streams.serde.JsonSerde;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriftwatchTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private static final String SENTENCE = " The old house stood on the hill above the quiet village.";
  private static final String LOOP = " I am sorry, I cannot help with that request.";

  private final Topics topics = Topics.defaults();
  private final MonitorSettings settings = new MonitorSettings(
      ScoringSettings.DEFAULTS.withAlertRules(List.of(new AlertRule("loop", "loop_repeats", 3.0, 1.5, 1, 2))),
      Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10));
  private DriftwatchMetrics metrics;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> tokens;
  private TestOutputTopic<String, ScoreRecord> scores;
  private TestOutputTopic<String, AlertEvent> alerts;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private final java.util.Map<String, Long> nextSeq = new java.util.HashMap<>();

  @BeforeEach
  void setUp() {
    metrics = new DriftwatchMetrics(new PrometheusRegistry(), 5);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    Topology topology = DriftwatchTopology.build(TopologyOptions.builder(topics, metrics).monitor(settings).build());
    driver = new TopologyTestDriver(topology, props, T0);
    tokens = driver.createInputTopic(topics.tokens(), new ByteArraySerializer(), new ByteArraySerializer());
    scores = driver.createOutputTopic(topics.scores(), new StringDeserializer(), JsonSerde.of(ScoreRecord.class).deserializer());
    alerts = driver.createOutputTopic(topics.alerts(), new StringDeserializer(), JsonSerde.of(AlertEvent.class).deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(), JsonSerde.of(DeadLetter.class).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void eachSentenceYieldsAScoreRecordAndTheEndASummary() {
    send(start("g-1"));
    say("g-1", SENTENCE + " Its windows looked over the river." + " Nobody had lived there for years.");
    send(new End(1, "g-1", "stop", T0.plusSeconds(5)));

    List<TestRecord<String, ScoreRecord>> out = scores.readRecordsToList();
    assertThat(out).extracting(r -> r.value().kind()).containsExactly("sentence", "sentence", "sentence", "summary");
    assertThat(out).extracting(r -> r.value().sentence()).containsExactly(0, 1, 2, null);
    assertThat(out).allSatisfy(r -> {
      assertThat(r.key()).isEqualTo("g-1");
      assertThat(r.value().model()).isEqualTo("model-a");
      assertThat(r.headers().lastHeader(GenerationScoringProcessor.PROCESSING_TIME)).isNotNull();
    });
    ScoreRecord second = out.get(1).value();
    assertThat(second.scores()).containsKeys("local_coherence", "sentence_coherence", "repetition_rate", "loop_repeats", "tokens_per_second");
    ScoreRecord summary = out.get(3).value();
    assertThat(summary.closeReason()).isEqualTo("end:stop");
    assertThat(summary.sentences()).isEqualTo(3);
    assertThat(summary.tokens()).isEqualTo(nextSeq.get("g-1"));
    assertThat(metrics.tokensTotal()).isEqualTo(nextSeq.get("g-1"));
  }

  @Test
  void aLoopRaisesOneAlertNotOnePerSentenceAndResolvesWhenItStops() {
    send(start("loop"));
    say("loop", SENTENCE);
    for (int i = 0; i < 8; i++) {
      say("loop", LOOP);
    }
    say("loop", " Then the rain stopped and everyone went outside." + " The garden smelled of wet earth."
        + " Birds came back to the feeder by the window.");
    send(new End(1, "loop", "stop", T0.plusSeconds(9)));

    List<AlertEvent> raised = alerts.readValuesToList();
    assertThat(raised).extracting(AlertEvent::state).containsExactly("firing", "resolved");
    AlertEvent firing = raised.get(0);
    assertThat(firing.rule()).isEqualTo("loop");
    assertThat(firing.generationId()).isEqualTo("loop");
    assertThat(firing.value()).isGreaterThanOrEqualTo(3.0);
    assertThat(firing.firstSeq()).isLessThanOrEqualTo(firing.lastSeq());
    assertThat(scores.readValuesToList()).filteredOn(r -> r.kind().equals("summary")).singleElement()
        .satisfies(s -> assertThat(s.scores().get("max_loop_repeats")).isGreaterThanOrEqualTo(3.0));
  }

  @Test
  void generationsThatGoQuietAreClosedAsIdleAndLateEventsAreDeadLettered() {
    send(start("quiet"));
    say("quiet", " Hello there, this is a short sentence.");
    send(start("busy"));
    driver.advanceWallClockTime(Duration.ofSeconds(20));
    say("busy", " Still talking.");
    driver.advanceWallClockTime(Duration.ofSeconds(15));

    List<ScoreRecord> out = scores.readValuesToList();
    assertThat(out).filteredOn(r -> r.kind().equals("summary")).singleElement().satisfies(r -> {
      assertThat(r.generationId()).isEqualTo("quiet");
      assertThat(r.closeReason()).isEqualTo("idle");
    });
    assertThat(metrics.activeGenerationsNow()).isEqualTo(1);

    say("quiet", " Too late.");
    assertThat(deadLetters.readValuesToList()).extracting(DeadLetter::reason).containsOnly("generation.closed");
  }

  @Test
  void badInputGoesToDeadLettersWithTheReasonInAHeaderAndNothingStops() {
    byte[] key = "g-2".getBytes(UTF_8);
    tokens.pipeInput(key, "{not json".getBytes(UTF_8));
    tokens.pipeInput(key, invalidUtf8());
    tokens.pipeInput(key, "{\"v\":1,\"type\":\"tokn\",\"generation_id\":\"g-2\",\"event_time\":\"2026-11-24T06:00:00Z\"}".getBytes(UTF_8));
    tokens.pipeInput(key, EventCodec.encode(new Token(1, "g-2", 0L, "x".repeat(10 * 1024 * 1024), null, null, null, T0)));
    tokens.pipeInput("other".getBytes(UTF_8), EventCodec.encode(token("g-2", 0, "x")));
    send(new End(1, "g-2", "stop", T0));
    send(start("g-2"));
    send(start("g-2"));
    send(token("g-2", 0, " One"));
    send(token("g-2", 0, " One"));
    send(new End(1, "g-2", "stop", T0));
    send(token("g-2", 1, " two"));

    List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
    assertThat(letters).extracting(r -> r.value().reason()).containsExactly(
        "json.malformed", "json.invalid_utf8", "type.unknown", "text.length", "key.mismatch",
        "generation.unknown", "start.duplicate", "seq.out_of_order", "generation.closed");
    assertThat(letters).allSatisfy(r -> {
      assertThat(new String(r.headers().lastHeader(DeadLetters.REASON).value(), UTF_8)).isEqualTo(r.value().reason());
      assertThat(r.value().message()).isNotBlank();
      assertThat(r.value().sourceTopic()).isEqualTo(topics.tokens());
    });
    assertThat(letters.get(0).value().payload()).isEqualTo("{not json");
    assertThat(letters.get(1).value().payloadEncoding()).isEqualTo("base64");
    assertThat(metrics.deadLettersTotal()).isEqualTo(9);
    assertThat(scores.readValuesToList()).filteredOn(r -> r.kind().equals("summary")).singleElement()
        .satisfies(s -> assertThat(s.tokens()).isEqualTo(1));
  }

  @Test
  void aRecordNearTheBrokerLimitGetsABoundedDeadLetterAndScoringGoesOn() {
    byte[] binary = new byte[990_000];
    new java.util.Random(19).nextBytes(binary);
    binary[0] = (byte) 0xff;
    tokens.pipeInput("g-1".getBytes(UTF_8), binary);
    String hugeText = "{\"v\":1,\"type\":\"token\",\"generation_id\":\"g-1\",\"seq\":0,\"event_time\":\"2026-11-24T06:00:00Z\",\"text\":\""
        + "a".repeat(900_000) + "\"}";
    tokens.pipeInput("g-1".getBytes(UTF_8), hugeText.getBytes(UTF_8));
    send(start("g-1"));
    say("g-1", SENTENCE);
    send(new End(1, "g-1", "stop", T0.plusSeconds(5)));

    List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
    assertThat(letters).hasSize(2);
    // Which JSON rule random bytes break depends on their first bytes.
    assertThat(letters.get(0).value().reason()).startsWith("json.");
    assertThat(letters.get(1).value().reason()).isEqualTo("text.length");
    assertThat(letters).allSatisfy(r -> {
      assertThat(r.value().payloadTruncated()).isTrue();
      assertThat(r.value().payload().length()).isLessThanOrEqualTo(DeadLetter.MAX_PAYLOAD_BYTES * 4 / 3 + 4);
      assertThat(r.key()).isEqualTo("g-1");
    });
    assertThat(letters.get(0).value().payloadBytes()).isEqualTo(binary.length);
    assertThat(letters.get(0).value().payloadSha256()).isEqualTo(DeadLetter.sha256(binary));
    assertThat(letters.get(1).value().payloadBytes()).isEqualTo(hugeText.length());
    assertThat(scores.readValuesToList()).filteredOn(r -> r.kind().equals("summary")).singleElement()
        .satisfies(s -> assertThat(s.closeReason()).isEqualTo("end:stop"));
    assertThat(metrics.outputsReplacedTotal()).isZero();
  }

  @Test
  void tokensWithoutAStartOpenTheGenerationAndAreFlagged() {
    say("orphan", " No start event came before this sentence. Nor this one.");
    send(new End(1, "orphan", "stop", T0));
    assertThat(scores.readValuesToList()).allSatisfy(r -> assertThat(r.flags()).contains("implicit_start"));
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void replayingTheSameInputGivesByteIdenticalScores() {
    List<byte[]> first = runScenarioOnFreshDriver(T0);
    List<byte[]> second = runScenarioOnFreshDriver(T0.plus(Duration.ofDays(3)));
    assertThat(first).hasSameSizeAs(second).isNotEmpty();
    for (int i = 0; i < first.size(); i++) {
      assertThat(new String(second.get(i), UTF_8)).isEqualTo(new String(first.get(i), UTF_8));
    }
  }

  private List<byte[]> runScenarioOnFreshDriver(Instant wallClock) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver d = new TopologyTestDriver(
        DriftwatchTopology.build(TopologyOptions.builder(topics, new DriftwatchMetrics(new PrometheusRegistry(), 5))
            .monitor(settings).build()), props, wallClock)) {
      TestInputTopic<byte[], byte[]> in = d.createInputTopic(topics.tokens(), new ByteArraySerializer(), new ByteArraySerializer());
      var out = d.createOutputTopic(topics.scores(), new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
      List<GenerationEvent> events = new ArrayList<>();
      events.add(start("r"));
      long seq = 0;
      for (String t : io.driftwatch.producers.text.SimpleTokenizer.tokenize(SENTENCE + SENTENCE + LOOP + LOOP + LOOP + LOOP)) {
        events.add(new Token(1, "r", seq, t, null, -0.5 - (seq % 3) * 0.25, null, T0.plusMillis(20 * seq)));
        seq++;
      }
      events.add(new End(1, "r", "stop", T0.plusSeconds(10)));
      for (GenerationEvent e : events) {
        in.pipeInput(e.generationId().getBytes(UTF_8), EventCodec.encode(e), e.eventTime());
      }
      return out.readValuesToList();
    }
  }

  /** A token event whose text holds a byte sequence that is not UTF-8. */
  static byte[] invalidUtf8() {
    byte[] json = "{\"v\":1,\"type\":\"token\",\"generation_id\":\"g-2\",\"seq\":0,\"text\":\"??\",\"event_time\":\"2026-11-24T06:00:00Z\"}"
        .getBytes(UTF_8);
    int at = new String(json, UTF_8).indexOf("??");
    json[at] = (byte) 0xC3;
    json[at + 1] = (byte) 0x28;
    return json;
  }

  private void say(String id, String text) {
    for (String t : io.driftwatch.producers.text.SimpleTokenizer.tokenize(text)) {
      long seq = nextSeq.merge(id, 1L, Long::sum) - 1;
      send(token(id, seq, t));
    }
  }

  private void send(GenerationEvent event) {
    tokens.pipeInput(event.generationId().getBytes(UTF_8), EventCodec.encode(event), event.eventTime());
  }

  private static Start start(String id) {
    return new Start(1, id, "run-1", "model-a", "Describe the old house on the hill.", null, Map.of(), T0);
  }

  private static Token token(String id, long seq, String text) {
    return new Token(1, id, seq, text, null, null, null, T0.plusMillis(50 * seq));
  }
}
