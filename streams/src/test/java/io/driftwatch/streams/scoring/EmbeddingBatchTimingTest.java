package io.driftwatch.streams.scoring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.streams.DriftwatchTopology;
import io.driftwatch.streams.TopologyOptions;
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
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the semantic scorer sends its batch to the model: when it is full, or once its oldest sentence
 * has waited the batch delay; never merely because a timer ticked, which under load sent small batches
 * right after every model call.
 */
class EmbeddingBatchTimingTest {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  private static final Duration DELAY = Duration.ofMillis(100);

  private final Topics topics = Topics.defaults();
  private final List<Integer> batches = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> tokens;
  private TestOutputTopic<String, ScoreRecord> scores;

  @BeforeEach
  void setUp() {
    SemanticScoring semantic = new SemanticScoring(texts -> {
      batches.add(texts.size());
      float[][] vectors = new float[texts.size()][];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = new float[] {0.6f, 0.8f, 0f, 0f};
      }
      return vectors;
    }, 4, DELAY);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "batch-timing-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    DriftwatchMetrics metrics = new DriftwatchMetrics(new PrometheusRegistry(), 5);
    Topology topology = DriftwatchTopology.build(TopologyOptions.builder(topics, metrics).semantic(semantic).build());
    driver = new TopologyTestDriver(topology, props, T0);
    tokens = driver.createInputTopic(topics.tokens(), new ByteArraySerializer(), new ByteArraySerializer());
    scores = driver.createOutputTopic(topics.scores(), new StringDeserializer(), JsonSerde.of(ScoreRecord.class).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void aBatchWaitsForItsOldestSentenceToHaveWaitedTheDelay() {
    driver.advanceWallClockTime(Duration.ofMillis(90)); // the batch timer's next ticks are near
    send(new GenerationEvent.Start(1, "g-1", "run-1", "model-a", "Describe the house.", null, Map.of(), T0));

    driver.advanceWallClockTime(Duration.ofMillis(30)); // a tick falls in here; the prompt has waited 30 ms
    assertThat(batches).as("sent before its oldest text waited %s", DELAY).isEmpty();

    driver.advanceWallClockTime(Duration.ofMillis(80)); // now it has waited 110 ms
    assertThat(batches).containsExactly(1);
  }

  @Test
  void aFullBatchGoesAtOnce() {
    send(new GenerationEvent.Start(1, "g-1", "run-1", "model-a", "Describe the house.", null, Map.of(), T0));
    String[] words = " The house is old. The roof is red. The door is blue. The hill is steep. The end".split("(?= )");
    for (int i = 0; i < words.length; i++) {
      send(new GenerationEvent.Token(1, "g-1", (long) i, words[i], null, null, null, T0.plusMillis(10L * i)));
    }
    // The prompt and three sentences fill the batch of four: it went without any wall-clock time passing.
    assertThat(batches).isNotEmpty();
    assertThat(batches.get(0)).isGreaterThanOrEqualTo(4);
    assertThat(scores.readValuesToList()).filteredOn(s -> ScoreRecord.SENTENCE.equals(s.kind())).isNotEmpty();
  }

  private void send(GenerationEvent event) {
    tokens.pipeInput(event.generationId().getBytes(UTF_8), EventCodec.encode(event), event.eventTime());
  }
}
