package io.driftwatch.streams.scoring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.engine.GenerationStore;
import io.driftwatch.scoring.engine.Output;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.streams.Interleaved;
import io.driftwatch.streams.OfflineOracle;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.ingest.DecodedEvent;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.state.CommitHookStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A model or engine failure never loses events or a close: the failing batch's sentences complete
 * without semantic scores from the live state, and an event the engine throws on is dead-lettered
 * while its generation goes on from its state just before that event.
 */
class ScoringFailureTest {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  private static final String TEXT = " The old house stood on the hill. Its windows looked over the river. Nobody had lived there"
      + " for years. The garden was wild and the gate hung open. Children said a light moved at night. The end came in spring.";

  @Test
  void anEngineExceptionDeadLettersTheEventAndTheGenerationGoesOn() {
    Map<String, List<GenerationEvent>> generations = generations(3, TEXT);
    GenerationEvent failing = generations.get("g-1").get(9);
    AtomicInteger faults = new AtomicInteger();
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, false);
    // The engine applies the event, then throws: the live state is left changed by an event that failed.
    GenerationScoringProcessor.EventScoring faulty = (event, store) -> {
      var out = engine.process(event, store);
      if (event.equals(failing)) {
        faults.incrementAndGet();
        throw new IllegalStateException("injected after applying " + event.typeName());
      }
      return out;
    };
    Harness harness = new Harness(engine, faulty, null);
    // Commits are rare beside the events, as with a real commit interval: one after the first third.
    List<GenerationEvent> events = Interleaved.roundRobin(generations.values());
    for (int i = 0; i < events.size(); i++) {
      harness.send(events.get(i));
      if (i == events.size() / 3) {
        harness.commit();
      }
    }

    assertThat(faults).hasValue(1);
    List<DeadLetter> letters = harness.deadLetters();
    assertThat(letters).extracting(DeadLetter::reason).containsExactly("engine.error");
    assertThat(letters.get(0).payloadSha256()).isEqualTo(DeadLetter.sha256(EventCodec.encode(failing)));
    // The oracle: the offline scorer over the same events without the one that failed.
    Map<String, List<GenerationEvent>> without = new LinkedHashMap<>(generations);
    List<GenerationEvent> g1 = new ArrayList<>(generations.get("g-1"));
    g1.remove(failing);
    without.put("g-1", g1);
    Map<String, List<String>> expected = OfflineOracle.scores(without);
    Map<String, List<String>> streamed = harness.scoresAsJson();
    for (String id : generations.keySet()) {
      assertThat(streamed.get(id)).as(id).containsExactlyElementsOf(expected.get(id));
    }
  }

  @Test
  void anIdleCloseTheEngineThrowsOnDropsThatGenerationAndTheMonitorGoesOn() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, false);
    AtomicInteger faults = new AtomicInteger();
    GenerationScoringProcessor.EventScoring faulty = new GenerationScoringProcessor.EventScoring() {
      @Override
      public Output process(GenerationEvent event, GenerationStore store) {
        return engine.process(event, store);
      }

      @Override
      public Output closeIdle(ScoringEngine e, String generationId, GenerationStore store) {
        if (generationId.equals("g-0")) {
          faults.incrementAndGet();
          throw new IllegalStateException("injected");
        }
        return e.closeIdle(generationId, store, ScoringEngine.IDLE);
      }
    };
    Harness harness = new Harness(engine, faulty, null);
    Map<String, List<GenerationEvent>> generations = generations(2, TEXT);
    for (List<GenerationEvent> events : generations.values()) {
      events.subList(0, 6).forEach(harness::send); // then the producers go quiet
    }
    harness.commit();
    var idleCheck = harness.context.scheduledPunctuators().stream()
        .filter(p -> p.getInterval().equals(MonitorSettings.DEFAULTS.idleCheckInterval())).findFirst().orElseThrow();
    long idle = harness.context.currentSystemTimeMs() + MonitorSettings.DEFAULTS.idleTimeout().toMillis() + 1_000;
    harness.context.setCurrentSystemTimeMs(idle);
    idleCheck.getPunctuator().punctuate(idle);
    idleCheck.getPunctuator().punctuate(idle + 1_000);

    assertThat(faults).as("tried once, not at every check").hasValue(1);
    assertThat(harness.scores().get("g-1")).filteredOn(r -> r.kind().equals(ScoreRecord.SUMMARY))
        .singleElement().satisfies(r -> assertThat(r.closeReason()).isEqualTo(ScoringEngine.IDLE));
    assertThat(harness.scores().getOrDefault("g-0", List.of())).noneMatch(r -> r.kind().equals(ScoreRecord.SUMMARY));
    harness.send(generations.get("g-0").get(6));
    assertThat(harness.deadLetters()).extracting(DeadLetter::reason).containsExactly("generation.closed");
    harness.commit();
    assertThat(harness.open.get("g-0")).isNull();
  }

  @Test
  void aFailingModelCompletesSentencesWithoutSemanticScoresAndLosesNoSummary() {
    AtomicInteger calls = new AtomicInteger();
    // A model that throws on one sentence and returns vectors of another size than the stored ones for
    // another; the latter is each generation's last sentence, completed by its end event.
    SemanticScoring semantic = new SemanticScoring(texts -> {
      calls.incrementAndGet();
      if (texts.stream().anyMatch(t -> t.contains("garden"))) {
        throw new IllegalStateException("model failure");
      }
      float[][] vectors = new float[texts.size()][];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = texts.get(i).contains("spring") ? new float[] {0.6f, 0.8f} : new float[] {0.6f, 0.8f, 0f, (i % 3) / 10f};
      }
      return vectors;
    }, 1, Duration.ofMillis(50));
    Map<String, List<GenerationEvent>> generations = generations(4, TEXT);
    Harness harness = new Harness(new ScoringEngine(ScoringSettings.DEFAULTS, true), null, semantic);
    List<GenerationEvent> events = Interleaved.roundRobin(generations.values());
    for (int i = 0; i < events.size(); i++) {
      harness.send(events.get(i));
      if (i == events.size() / 3) {
        harness.commit();
      }
    }

    assertThat(harness.deadLetters()).isEmpty();
    assertThat(harness.metrics.registry().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("driftwatch_embedding_failures"))
        .flatMap(m -> m.getDataPoints().stream())
        .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d).getValue())
        .sum()).as("failed batches").isEqualTo(2 * generations.size());
    // The lexical part of every record is what the offline scorer computes without semantic scores.
    Map<String, List<String>> lexical = OfflineOracle.scores(generations);
    Map<String, List<ScoreRecord>> streamed = harness.scores();
    for (String id : generations.keySet()) {
      List<ScoreRecord> records = streamed.get(id);
      List<ScoreRecord> expected = lexical.get(id).stream().map(ScoringFailureTest::read).toList();
      assertThat(records).as(id).hasSameSizeAs(expected);
      assertThat(records.stream().filter(r -> r.kind().equals(ScoreRecord.SUMMARY)).count()).as(id).isEqualTo(1);
      for (int i = 0; i < records.size(); i++) {
        ScoreRecord got = records.get(i);
        ScoreRecord want = expected.get(i);
        assertThat(got.kind()).isEqualTo(want.kind());
        assertThat(got.sentence()).isEqualTo(want.sentence());
        assertThat(got.tokens()).isEqualTo(want.tokens());
        assertThat(got.closeReason()).as(id).isEqualTo(want.closeReason());
        assertThat(got.scores()).as(id + " record " + i).containsAllEntriesOf(want.scores());
      }
      assertThat(records).as(id).filteredOn(r -> r.flags().contains("semantic_unavailable")).isNotEmpty();
    }
  }

  /**
   * The scoring processor alone on a mock context, with its two stores: commits (the write-behind
   * hook) happen only when the test calls {@link #commit}, as between the events of a real commit
   * interval; the topology test driver commits after every record.
   */
  private static final class Harness {
    final MockProcessorContext<String, Object> context = new MockProcessorContext<>(props("scoring-failure"));
    final DriftwatchMetrics metrics = new DriftwatchMetrics(new PrometheusRegistry(), 5);
    final CommitHookStore<String, OpenGeneration> open;
    final GenerationScoringProcessor processor;

    Harness(ScoringEngine engine, GenerationScoringProcessor.EventScoring scoring, SemanticScoring semantic) {
      context.setCurrentSystemTimeMs(T0.toEpochMilli());
      KeyValueStore<String, OpenGeneration> openStore = CommitHookStore.wrap(Stores.keyValueStoreBuilder(
          Stores.inMemoryKeyValueStore("open"), Serdes.String(), OpenGeneration.serde()).withLoggingDisabled()).build();
      KeyValueStore<String, Long> closedStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("closed"),
          Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
      openStore.init(context.getStateStoreContext(), openStore);
      closedStore.init(context.getStateStoreContext(), closedStore);
      context.addStateStore(openStore);
      context.addStateStore(closedStore);
      open = CommitHookStore.of(openStore);
      MonitorSettings settings = MonitorSettings.DEFAULTS;
      processor = new GenerationScoringProcessor(engine, scoring != null ? scoring : engine::process,
          new GenerationScoringProcessor.StoreNames("open", "closed"),
          new GenerationScoringProcessor.Children("scores", "alerts", "spans", "dead-letters"),
          new GenerationScoringProcessor.Timing(settings.idleTimeout(), settings.idleCheckInterval(), settings.closedRetention()),
          metrics, semantic, BaselineSettings.DEFAULTS, GenerationScoringProcessor.liveStateShare(MonitorSettings.DEFAULT_LIVE_STATE_HEAP_PERCENT));
      processor.init(context);
    }

    void send(GenerationEvent event) {
      byte[] key = event.generationId().getBytes(UTF_8);
      context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 5);
      processor.process(new Record<>(event.generationId(), new DecodedEvent(event, key, EventCodec.encode(event)),
          event.eventTime().toEpochMilli()));
    }

    void commit() {
      open.flushCache();
    }

    List<DeadLetter> deadLetters() {
      return context.forwarded("dead-letters").stream().map(f -> (DeadLetter) f.record().value()).toList();
    }

    Map<String, List<ScoreRecord>> scores() {
      Map<String, List<ScoreRecord>> out = new LinkedHashMap<>();
      context.forwarded("scores").forEach(f -> out.computeIfAbsent(f.record().key(), k -> new ArrayList<>())
          .add((ScoreRecord) f.record().value()));
      return out;
    }

    Map<String, List<String>> scoresAsJson() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      scores().forEach((id, records) -> out.put(id, records.stream().map(r -> new String(EventCodec.toJson(r), UTF_8)).toList()));
      return out;
    }
  }

  private static Map<String, List<GenerationEvent>> generations(int count, String text) {
    Map<String, List<GenerationEvent>> out = new LinkedHashMap<>();
    String[] words = text.split("(?= )");
    for (int g = 0; g < count; g++) {
      String id = "g-" + g;
      List<GenerationEvent> events = new ArrayList<>();
      events.add(new GenerationEvent.Start(1, id, "run", "model", "Describe the house number " + g + ".", null, Map.of(), T0));
      for (int i = 0; i < words.length; i++) {
        events.add(new GenerationEvent.Token(1, id, (long) i, words[i], null, -0.1 * (i % 5), null, T0.plusMillis(40L * i)));
      }
      events.add(new GenerationEvent.End(1, id, "stop", T0.plusSeconds(10)));
      out.put(id, events);
    }
    return out;
  }

  private static ScoreRecord read(String json) {
    try {
      return EventCodec.fromJson(json.getBytes(UTF_8), ScoreRecord.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Properties props(String id) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
  }
}
