package io.driftwatch.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.ModelBaseline;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.streams.DriftwatchTopology;
import io.driftwatch.streams.TopologyOptions;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.serde.JsonSerde;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The baseline store of the scoring task, its percentiles on the scores topic, and its metrics. */
class BaselineTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private static final DemoCorpus CORPUS = DemoCorpus.load();
  private static final int WARMUP = 6;
  private static final String MODEL = "model-b";

  private final Topics topics = Topics.defaults();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> tokens;
  private TestOutputTopic<String, ScoreRecord> scores;
  private TestOutputTopic<String, AlertEvent> alerts;
  private final Random random = new Random(3);
  private int generations;

  @BeforeEach
  void setUp() {
    MonitorSettings settings = MonitorSettings.DEFAULTS.withIdleTimeout(Duration.ofHours(1))
        .withScoring(ScoringSettings.DEFAULTS.withAlertRules(List.of(new AlertRule("loop_p99", "loop_repeats_pct", 99, 90, 1, 2))))
        .withBaseline(new BaselineSettings(WARMUP, null, Map.of()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "baseline-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    Topology topology = DriftwatchTopology.build(TopologyOptions.builder(topics, new DriftwatchMetrics(registry, 5)).monitor(settings).build());
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
  void theStoreLearnsTheFirstNGenerationsAndTheRecordsThenCarryPercentiles() {
    for (int i = 0; i < WARMUP - 1; i++) {
      generate(Scenario.STEADY);
    }
    KeyValueStore<String, byte[]> store = driver.getKeyValueStore(DriftwatchTopology.BASELINES_STORE);
    assertThat(ModelBaseline.decode(store.get(MODEL)).generations()).isEqualTo(WARMUP - 1);
    assertThat(metrics()).contains("driftwatch_baseline_ready{model=\"" + MODEL + "\",task=\"0_0\"} 0.0")
        .contains("driftwatch_baseline_generations{model=\"" + MODEL + "\",task=\"0_0\"} " + (WARMUP - 1) + ".0");

    // The loop while the model still warms up: no percentiles, no percentile alert.
    generate(Scenario.REPETITION_LOOP);
    assertThat(scores.readValuesToList()).allSatisfy(r -> assertThat(r.scores()).doesNotContainKey("loop_repeats_pct"));
    assertThat(alerts.readValuesToList()).isEmpty();
    assertThat(metrics()).contains("driftwatch_baseline_ready{model=\"" + MODEL + "\",task=\"0_0\"} 1.0")
        .contains("driftwatch_baseline_quantile{model=\"" + MODEL + "\",percentile=\"99.5\",score=\"loop_repeats\",task=\"0_0\"}");

    generate(Scenario.STEADY);
    List<ScoreRecord> after = scores.readValuesToList();
    assertThat(after.subList(0, after.size() - 1)).allSatisfy(r -> assertThat(r.scores()).containsKey("loop_repeats_pct"));
    assertThat(after.get(after.size() - 1).scores()).containsKey("max_loop_repeats_pct");
    // Frozen after warm-up.
    assertThat(ModelBaseline.decode(store.get(MODEL)).generations()).isEqualTo(WARMUP);
  }

  @Test
  void aLoopAfterWarmUpFiresThePercentileRule() {
    for (int i = 0; i < WARMUP; i++) {
      generate(Scenario.STEADY);
    }
    alerts.readValuesToList();
    generate(Scenario.REPETITION_LOOP);
    assertThat(alerts.readValuesToList()).extracting(AlertEvent::rule).contains("loop_p99");
  }

  private void generate(Scenario scenario) {
    String id = "g-" + generations++;
    Scenario.Script script = scenario.script(CORPUS, random, 200);
    List<GenerationEvent> events = new ArrayList<>();
    events.add(new GenerationEvent.Start(1, id, "run", MODEL, script.prompt(), null, Map.of(), T0));
    for (int seq = 0; seq < script.tokens().size(); seq++) {
      events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, null, null, T0.plusMillis(30L * seq)));
    }
    events.add(new GenerationEvent.End(1, id, "length", T0.plusMillis(30L * script.tokens().size())));
    for (GenerationEvent e : events) {
      tokens.pipeInput(id.getBytes(StandardCharsets.UTF_8), EventCodec.encode(e));
    }
  }

  private String metrics() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      return out.toString(StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
