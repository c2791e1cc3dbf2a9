package io.driftwatch.streams.view;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.GenerationEvent.End;
import io.driftwatch.contract.GenerationEvent.Start;
import io.driftwatch.contract.GenerationEvent.Token;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.streams.DriftwatchTopology;
import io.driftwatch.streams.TopologyOptions;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web view's materialisation, in the real topology, against what the output topics carry. */
class GenerationViewTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  private static final String LOOP = " I am sorry, I cannot help with that request.";

  private final Topics topics = Topics.defaults();
  private final MonitorSettings settings = new MonitorSettings(
      ScoringSettings.DEFAULTS.withAlertRules(List.of(new AlertRule("loop", "loop_repeats", 3.0, 1.5, 1, 2))),
      Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10));
  private final ViewSettings view = new ViewSettings(Duration.ofMinutes(5), 3, 100, 50);
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> tokens;
  private TestOutputTopic<String, ScoreRecord> scores;
  private TestOutputTopic<String, AlertEvent> alerts;
  private final Map<String, Long> nextSeq = new java.util.HashMap<>();

  @BeforeEach
  void setUp() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "view-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    DriftwatchMetrics metrics = new DriftwatchMetrics(new PrometheusRegistry(), 5);
    Topology topology = DriftwatchTopology.build(TopologyOptions.builder(topics, metrics).monitor(settings).view(view).build());
    driver = new TopologyTestDriver(topology, props, T0);
    tokens = driver.createInputTopic(topics.tokens(), new ByteArraySerializer(), new ByteArraySerializer());
    scores = driver.createOutputTopic(topics.scores(), new StringDeserializer(), JsonSerde.of(ScoreRecord.class).deserializer());
    alerts = driver.createOutputTopic(topics.alerts(), new StringDeserializer(), JsonSerde.of(AlertEvent.class).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void aGuardStopOnTheEndEventIsKeptInTheView() {
    send(new Start(1, "g-stop", "run-1", "model-x", "Tell me about the house.", null, Map.of(), T0));
    say("g-stop", LOOP.repeat(3));
    GenerationEvent.Guard stop = new GenerationEvent.Guard("loop", GenerationEvent.Guard.IN_PROCESS, GenerationEvent.Guard.STOPPED,
        40L, 2L, 900L);
    send(new End(1, "g-stop", "content_filter", T0.plusSeconds(5), stop));
    assertThat(summaries().get("g-stop").guard()).isEqualTo(stop);
  }

  @Test
  void theViewHoldsTheTokensAndExactlyTheRecordsOfTheOutputTopics() {
    send(new Start(1, "g-1", "run-1", "model-x", "Tell me about the house.", null, Map.of("scenario", "repetition-loop"), T0));
    say("g-1", LOOP.repeat(6));
    send(new End(1, "g-1", "stop", T0.plusSeconds(5)));

    List<ScoreRecord> emitted = scores.readValuesToList();
    List<AlertEvent> fired = alerts.readValuesToList();
    assertThat(fired).isNotEmpty();

    GenerationView summary = summaries().get("g-1");
    assertThat(summary.status()).isEqualTo(GenerationView.CLOSED);
    assertThat(summary.model()).isEqualTo("model-x");
    assertThat(summary.tokens()).isEqualTo(nextSeq.get("g-1"));
    assertThat(summary.scoreRecords()).isEqualTo(emitted.size());
    assertThat(summary.scores()).isEqualTo(emitted.get(emitted.size() - 1).scores());
    assertThat(summary.alerts()).isEqualTo(fired.size());
    assertThat(summary.recentAlerts()).isEqualTo(fired.subList(Math.max(0, fired.size() - GenerationView.RECENT_ALERTS), fired.size()));

    List<String> texts = new ArrayList<>();
    List<ScoreRecord> stored = new ArrayList<>();
    List<AlertEvent> storedAlerts = new ArrayList<>();
    for (KeyValue<String, byte[]> e : entries("g-1")) {
      switch (ViewKeys.kind(e.key)) {
        case ViewKeys.TOKENS -> texts.addAll(read(e.value, TokenChunk.class).text());
        case ViewKeys.SCORE -> stored.add(read(e.value, ScoreRecord.class));
        case ViewKeys.ALERT -> storedAlerts.add(read(e.value, AlertEvent.class));
        default -> throw new AssertionError("unexpected entry " + e.key);
      }
    }
    assertThat(String.join("", texts)).isEqualTo(LOOP.repeat(6).substring(0, String.join("", texts).length()));
    assertThat(texts).hasSize((int) Math.min(view.maxTokens(), summary.tokens()));
    assertThat(stored).isEqualTo(emitted.subList(0, Math.min(view.maxRecords(), emitted.size())));
    assertThat(storedAlerts).isEqualTo(fired);
  }

  @Test
  void tokensBeyondTheLimitAreCountedButNotKept() {
    send(new Start(1, "g-long", "run-1", "m", "p", null, Map.of(), T0));
    say("g-long", " word".repeat(250));
    GenerationView summary = summaries().get("g-long");
    assertThat(summary.tokens()).isEqualTo(250);
    assertThat(summary.storedTokens()).isEqualTo(view.maxTokens());
    int kept = 0;
    for (KeyValue<String, byte[]> e : entries("g-long")) {
      if (ViewKeys.kind(e.key) == ViewKeys.TOKENS) {
        kept += read(e.value, TokenChunk.class).size();
      }
    }
    assertThat(kept).isEqualTo(view.maxTokens());
  }

  @Test
  void aRecordOnAnOutputTopicThatDriftwatchDidNotWriteIsSkipped() {
    TestInputTopic<String, String> foreign =
        driver.createInputTopic(topics.scores(), new StringSerializer(), new StringSerializer());
    foreign.pipeInput("g-x", "this is not a score record");
    send(new Start(1, "g-x", "run-1", "m", "p", null, Map.of(), T0));
    assertThat(summaries().get("g-x").scoreRecords()).isZero();
  }

  @Test
  void closedGenerationsExpireAfterRetentionAndBeyondTheLimit() {
    for (int i = 0; i < 5; i++) {
      String id = "g-" + i;
      send(new Start(1, id, "run-1", "m", "p", null, Map.of(), T0));
      say(id, " The house stood on the hill.");
      send(new End(1, id, "stop", T0.plusSeconds(1)));
      driver.advanceWallClockTime(Duration.ofMillis(100));
    }
    send(new Start(1, "g-open", "run-1", "m", "p", null, Map.of(), T0));
    driver.advanceWallClockTime(Duration.ofSeconds(11));
    // Only the 3 newest closed generations stay (maxClosedGenerations), with every entry of the others gone.
    assertThat(ids()).containsExactlyInAnyOrder("g-2", "g-3", "g-4", "g-open");
    assertThat(entries("g-0")).isEmpty();

    driver.advanceWallClockTime(view.retention());
    assertThat(ids()).containsExactly("g-open");
    // The open one goes too: closed by the idle timeout, or silent for twice the retention.
    driver.advanceWallClockTime(view.retention().multipliedBy(2));
    assertThat(ids()).isEmpty();
  }

  private List<String> ids() {
    List<String> ids = new ArrayList<>();
    try (KeyValueIterator<String, GenerationView> it = summaries().all()) {
      it.forEachRemaining(kv -> ids.add(kv.key));
    }
    return ids;
  }

  private KeyValueStore<String, GenerationView> summaries() {
    return driver.getKeyValueStore(ViewStores.SUMMARIES);
  }

  private List<KeyValue<String, byte[]>> entries(String id) {
    KeyValueStore<String, byte[]> details = driver.getKeyValueStore(ViewStores.DETAILS);
    List<KeyValue<String, byte[]>> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = details.prefixScan(ViewKeys.prefix(id), new StringSerializer())) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static <T> T read(byte[] json, Class<T> type) {
    try {
      return EventCodec.fromJson(json, type);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private void say(String id, String text) {
    for (String piece : text.split("(?=\\s)")) {
      long seq = nextSeq.merge(id, 1L, Long::sum) - 1;
      send(new Token(1, id, seq, piece, null, -0.5, null, T0.plusMillis(100 * seq)));
    }
  }

  private void send(GenerationEvent event) {
    tokens.pipeInput(event.generationId().getBytes(UTF_8), EventCodec.encode(event));
  }
}
