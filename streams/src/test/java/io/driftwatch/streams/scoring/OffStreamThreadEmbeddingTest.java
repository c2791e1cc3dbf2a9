package io.driftwatch.streams.scoring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.streams.Interleaved;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.HashedWords;
import io.driftwatch.streams.OfflineOracle;
import io.driftwatch.streams.ingest.DecodedEvent;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.state.CommitHookStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model calls off the stream thread, on a mock context whose model executor runs only when the test
 * says: the processor goes on with records while batches wait for the model, the cheap findings go out
 * at once, results are applied later (in process and in the batch timer's punctuator, fired by hand),
 * in sentence order, and the records equal the offline scorer's byte for byte, also when the task is
 * closed and re-opened with batches in flight.
 */
class OffStreamThreadEmbeddingTest {

  private static final Instant T0 = Instant.parse("2026-12-04T06:00:00Z");
  private static final Duration DELAY = Duration.ofMillis(20);
  private static final String TEXT = " The old house stood on the hill. Its windows looked over the river. Nobody had lived there"
      + " for years. The garden was wild and the gate hung open. Children said a light moved at night. The end came in spring.";

  /** A generation stuck in a loop: the default loop rule fires on it. */
  private static final String LOOP = " The night was cold." + " The bell rang in the tower and the old door opened to the garden.".repeat(8);

  private final ManualExecutor model = new ManualExecutor();

  @Test
  void embeddingsArriveLaterAndTheRecordsEqualTheOfflineScorers() {
    Map<String, List<GenerationEvent>> generations = generations(3);
    Harness harness = new Harness(new ScoringEngine(ScoringSettings.DEFAULTS, true), semantic(4));
    List<GenerationEvent> events = Interleaved.roundRobin(generations.values());
    for (int i = 0; i < events.size(); i++) {
      harness.send(events.get(i));
      if (i % 25 == 24) {
        harness.commit();
      }
    }

    // Every event was taken while the model had not answered once: no sentence record yet, every token counted.
    assertThat(model.calls).isZero();
    assertThat(model.queued()).isEqualTo(GenerationScoringProcessor.MAX_BATCHES_IN_FLIGHT);
    assertThat(harness.scores()).isEmpty();
    assertThat(harness.metrics.tokensTotal()).isEqualTo(3L * TEXT.split("(?= )").length);

    harness.runModelUntilIdle();

    assertThat(model.calls).isGreaterThan(GenerationScoringProcessor.MAX_BATCHES_IN_FLIGHT);
    Map<String, List<String>> expected = OfflineOracle.scores(generations, new HashedWords());
    Map<String, List<String>> streamed = harness.scoresAsJson();
    assertThat(streamed.keySet()).containsExactlyInAnyOrderElementsOf(generations.keySet());
    for (String id : generations.keySet()) {
      assertThat(streamed.get(id)).as(id).containsExactlyElementsOf(expected.get(id));
    }
  }

  @Test
  void aGenerationWithEmbeddingsInFlightTakesTokensAndCompletesItsSentencesInOrder() {
    Map<String, List<GenerationEvent>> generations = generations(1);
    Harness harness = new Harness(new ScoringEngine(ScoringSettings.DEFAULTS, true), semantic(1));
    List<GenerationEvent> events = generations.get("g-0");
    int sentencesSeen = 0;
    for (GenerationEvent event : events) {
      harness.send(event);
      // One model call at a time, answered only after the next event came in.
      if (model.queued() > 0) {
        model.runOne();
      }
      int now = harness.scores().getOrDefault("g-0", List.of()).size();
      assertThat(now).isGreaterThanOrEqualTo(sentencesSeen);
      sentencesSeen = now;
    }
    harness.runModelUntilIdle();

    List<ScoreRecord> records = harness.scores().get("g-0");
    assertThat(records).extracting(ScoreRecord::kind).last().isEqualTo(ScoreRecord.SUMMARY);
    List<Integer> sentences = records.stream().filter(r -> r.kind().equals(ScoreRecord.SENTENCE)).map(ScoreRecord::sentence).toList();
    assertThat(sentences).isSorted().doesNotHaveDuplicates();
    assertThat(harness.scoresAsJson().get("g-0")).containsExactlyElementsOf(OfflineOracle.scores(generations, new HashedWords()).get("g-0"));
  }

  @Test
  void verbatimAlertsAndSpansGoOutWhileTheModelHasNotAnswered(@TempDir Path dir) throws IOException {
    IndexBuilder builder = new IndexBuilder(dir);
    builder.addText("house-story", TEXT);
    builder.build();
    AttributionScoring attribution = new AttributionScoring(
        new StreamingMatcher(AttributionIndex.open(dir), MatchSettings.DEFAULTS.withVerbatimOver(8)));
    Harness harness = new Harness(new ScoringEngine(ScoringSettings.DEFAULTS, true, attribution), semantic(64));
    for (GenerationEvent event : generations(1).get("g-0")) {
      harness.send(event);
    }

    assertThat(model.calls).isZero();
    assertThat(harness.scores()).isEmpty();
    assertThat(harness.context.forwarded("alerts")).extracting(f -> ((AlertEvent) f.record().value()).rule())
        .contains(ScoringEngine.VERBATIM_RULE);
    assertThat(harness.context.forwarded("spans")).isNotEmpty();

    harness.runModelUntilIdle();
    assertThat(harness.scores().get("g-0")).extracting(ScoreRecord::kind).last().isEqualTo(ScoreRecord.SUMMARY);
  }

  @Test
  void loopAlertsGoOutAsTheSentencesEndWhileTheModelHoldsEveryBatch() {
    Map<String, List<GenerationEvent>> generations = generations(2);
    generations.put("loop-0", events("loop-0", LOOP));
    Harness harness = new Harness(new ScoringEngine(ScoringSettings.DEFAULTS, true), semantic(4));
    List<GenerationEvent> events = Interleaved.roundRobin(generations.values());
    int sent = 0;
    int commits = 0;
    while (sent < events.size() && harness.alerts().getOrDefault("loop-0", List.of()).isEmpty()) {
      harness.send(events.get(sent++));
      if (sent % 10 == 0) {
        harness.commit();
        commits++;
      }
    }

    // The loop alert went out with the model holding every batch it was sent: no call has completed,
    // no sentence record has gone out, and the stream went on through records and commits meanwhile.
    assertThat(harness.alerts().get("loop-0")).extracting(AlertEvent::rule, AlertEvent::state)
        .containsExactly(tuple("loop", AlertEvent.FIRING));
    assertThat(model.calls).isZero();
    assertThat(model.queued()).isEqualTo(GenerationScoringProcessor.MAX_BATCHES_IN_FLIGHT);
    assertThat(harness.scores()).isEmpty();
    assertThat(commits).isGreaterThanOrEqualTo(3);
    AlertEvent loop = harness.alerts().get("loop-0").get(0);

    for (GenerationEvent event : events.subList(sent, events.size())) {
      harness.send(event);
    }
    harness.runModelUntilIdle();

    // The records and each kind of alert equal the offline scorer's; the record of the alert's sentence,
    // which went out later, carries the value the alert was raised on.
    Map<String, List<String>> scores = OfflineOracle.scores(generations, new HashedWords());
    Map<String, List<String>> alerts = OfflineOracle.alerts(generations, new HashedWords());
    for (String id : generations.keySet()) {
      assertThat(harness.scoresAsJson().get(id)).as(id).containsExactlyElementsOf(scores.get(id));
      List<String> streamed = harness.alertsAsJson().getOrDefault(id, List.of());
      for (boolean semantic : new boolean[] {false, true}) {
        assertThat(lane(streamed, semantic)).as(id + (semantic ? " semantic alerts" : " other alerts"))
            .containsExactlyElementsOf(lane(alerts.get(id), semantic));
      }
    }
    ScoreRecord tripped = harness.scores().get("loop-0").stream().filter(r -> r.sentence() != null && r.sentence() == loop.sentence()).findFirst().orElseThrow();
    assertThat(tripped.scores()).containsEntry(loop.score(), loop.value());
  }

  /** The alerts of rules on semantic scores, or those of all other rules, in the order given. */
  private static List<String> lane(List<String> alerts, boolean semantic) {
    Set<String> semanticRules = ScoringSettings.DEFAULTS.alertRules().stream().filter(AlertRule::needsEmbeddings)
        .map(AlertRule::name).collect(Collectors.toSet());
    return alerts.stream().filter(json -> {
      try {
        return semanticRules.contains(EventCodec.fromJson(json.getBytes(UTF_8), AlertEvent.class).rule()) == semantic;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }

  @Test
  void generationsStartingWhileTheHeldModelFallsBehindAreShedWholeAndScoredAgainOnceItDrains() {
    LoadShedding bounds = new LoadShedding(Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(100));
    Harness harness = new Harness(new ScoringEngine(ScoringSettings.DEFAULTS, true), semantic(4).withShedding(bounds));
    Map<String, List<GenerationEvent>> all = new LinkedHashMap<>();

    // Generations that start while the model keeps up (it has not been measured yet), then the model stops
    // answering with their sentences waiting: time passes, records and commits go by.
    Map<String, List<GenerationEvent>> early = named("early", 2, TEXT);
    all.putAll(early);
    sendWithTicks(harness, early);
    assertThat(model.calls).isZero();
    assertThat(harness.metrics.sheddingTasks()).isEqualTo(1);

    // Generations starting now are shed: scored at once without the model, loop alert included.
    Map<String, List<GenerationEvent>> shed = named("shed", 2, TEXT);
    shed.put("shed-loop", events("shed-loop", LOOP));
    all.putAll(shed);
    sendWithTicks(harness, shed);
    assertThat(model.calls).isZero();
    for (String id : shed.keySet()) {
      List<ScoreRecord> records = harness.scores().get(id);
      assertThat(records).as(id).extracting(ScoreRecord::kind).last().isEqualTo(ScoreRecord.SUMMARY);
      assertThat(records).as(id).allSatisfy(r -> {
        assertThat(r.flags()).contains(ScoreRecord.SEMANTIC_SHED);
        assertThat(r.scores()).doesNotContainKeys("sentence_semantic_coherence", "semantic_local_coherence", "topic_shift");
      });
    }
    assertThat(harness.alerts().get("shed-loop")).extracting(AlertEvent::rule).containsExactly("loop");
    assertThat(harness.scores()).doesNotContainKeys(early.keySet().toArray(String[]::new));

    // The model answers again and drains the backlog: shedding stops, and new generations are scored.
    harness.runModelUntilIdle();
    for (int i = 0; i < 10; i++) {
      harness.tick();
    }
    assertThat(harness.metrics.sheddingTasks()).isZero();
    Map<String, List<GenerationEvent>> late = named("late", 2, TEXT);
    all.putAll(late);
    sendWithTicks(harness, late);
    harness.runModelUntilIdle();

    assertThat(harness.metrics.semanticShedTotal()).isEqualTo(shed.size());
    assertThat(harness.metrics.semanticDecisionsTotal()).isEqualTo(all.size());
    // All or nothing per generation, and the same records as the offline scorer told which were shed.
    Map<String, List<String>> expected = OfflineOracle.scores(all, new HashedWords(), shed::containsKey);
    for (String id : all.keySet()) {
      assertThat(harness.scoresAsJson().get(id)).as(id).containsExactlyElementsOf(expected.get(id));
      boolean flagged = harness.scores().get(id).stream().anyMatch(r -> r.flags().contains(ScoreRecord.SEMANTIC_SHED));
      assertThat(flagged).as(id).isEqualTo(shed.containsKey(id));
    }
  }

  /** Sends the generations interleaved, the wall clock moving on by a batch timer's tick every 5 records, a commit every 10. */
  private void sendWithTicks(Harness harness, Map<String, List<GenerationEvent>> generations) {
    List<GenerationEvent> events = Interleaved.roundRobin(generations.values());
    for (int i = 0; i < events.size(); i++) {
      harness.send(events.get(i));
      if (i % 5 == 4) {
        harness.tick();
      }
      if (i % 10 == 9) {
        harness.commit();
      }
    }
  }

  private static Map<String, List<GenerationEvent>> named(String prefix, int count, String text) {
    Map<String, List<GenerationEvent>> out = new LinkedHashMap<>();
    for (int g = 0; g < count; g++) {
      out.put(prefix + "-" + g, events(prefix + "-" + g, text));
    }
    return out;
  }

  @Test
  void aBatchInFlightWhenTheTaskClosesIsEmbeddedAgainAfterItReopensAndNothingIsDoubled() {
    Map<String, List<GenerationEvent>> generations = generations(2);
    Harness harness = new Harness(new ScoringEngine(ScoringSettings.DEFAULTS, true), semantic(4));
    List<GenerationEvent> events = Interleaved.roundRobin(generations.values());
    int sent = 0;
    while (model.queued() == 0) {
      harness.send(events.get(sent++));
    }
    // The task is committed and closed (a rebalance) while the model still holds its first batch ...
    harness.commit();
    harness.processor.close();
    harness.processor.init(harness.context);
    for (GenerationEvent event : events.subList(sent, events.size())) {
      harness.send(event);
    }
    // ... whose answer comes back to a processor that no longer waits for it: its texts were queued
    // again from the store, and completing them twice would shift every later sentence's embedding.
    harness.runModelUntilIdle();

    Map<String, List<String>> expected = OfflineOracle.scores(generations, new HashedWords());
    Map<String, List<String>> streamed = harness.scoresAsJson();
    for (String id : generations.keySet()) {
      assertThat(streamed.get(id)).as(id).containsExactlyElementsOf(expected.get(id));
    }
  }

  private SemanticScoring semantic(int maxBatch) {
    return new SemanticScoring(new HashedWords(), maxBatch, DELAY).offStreamThread(model);
  }

  /** A model executor that runs what it was given only when the test says, on the test's thread. */
  private static final class ManualExecutor implements Executor {
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    int calls;

    @Override
    public void execute(Runnable command) {
      queue.add(command);
    }

    int queued() {
      return queue.size();
    }

    void runOne() {
      calls++;
      queue.poll().run();
    }

    void runAll() {
      while (!queue.isEmpty()) {
        runOne();
      }
    }
  }

  /**
   * The scoring processor alone on a mock context with its stores: commits happen when the test calls
   * {@link #commit}, punctuators when it calls {@link #tick}.
   */
  private final class Harness {
    final MockProcessorContext<String, Object> context = new MockProcessorContext<>(props());
    final DriftwatchMetrics metrics = new DriftwatchMetrics(new PrometheusRegistry(), 5);
    final CommitHookStore<String, OpenGeneration> open;
    final GenerationScoringProcessor processor;

    Harness(ScoringEngine engine, SemanticScoring semantic) {
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
      processor = new GenerationScoringProcessor(engine, new GenerationScoringProcessor.StoreNames("open", "closed"),
          new GenerationScoringProcessor.Children("scores", "alerts", "spans", "dead-letters"),
          new GenerationScoringProcessor.Timing(settings.idleTimeout(), settings.idleCheckInterval(), settings.closedRetention()),
          metrics, semantic, BaselineSettings.DEFAULTS, GenerationScoringProcessor.liveStateShare(MonitorSettings.DEFAULT_LIVE_STATE_HEAP_PERCENT));
      processor.init(context);
    }

    void send(GenerationEvent event) {
      byte[] key = event.generationId().getBytes(UTF_8);
      context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 1);
      processor.process(new Record<>(event.generationId(), new DecodedEvent(event, key, EventCodec.encode(event)),
          event.eventTime().toEpochMilli()));
    }

    void commit() {
      open.flushCache();
    }

    /** Moves the wall clock on by the batch delay and fires the batch timer by hand. */
    void tick() {
      context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + DELAY.toMillis());
      long now = context.currentSystemTimeMs();
      for (MockProcessorContext.CapturedPunctuator p : context.scheduledPunctuators()) {
        if (p.getInterval().compareTo(DELAY) < 0) {
          p.getPunctuator().punctuate(now);
        }
      }
    }

    /** Lets the model answer and the timer pick the answers up until nothing waits; bounded, so a stall fails. */
    void runModelUntilIdle() {
      for (int round = 0; round < 1000; round++) {
        model.runAll();
        tick();
        if (model.queued() == 0) {
          tick();
          if (model.queued() == 0) {
            return;
          }
        }
      }
      throw new AssertionError("the model's queue never emptied");
    }

    Map<String, List<ScoreRecord>> scores() {
      Map<String, List<ScoreRecord>> out = new LinkedHashMap<>();
      context.forwarded("scores").forEach(f -> out.computeIfAbsent(f.record().key(), k -> new ArrayList<>())
          .add((ScoreRecord) f.record().value()));
      return out;
    }

    Map<String, List<AlertEvent>> alerts() {
      Map<String, List<AlertEvent>> out = new LinkedHashMap<>();
      context.forwarded("alerts").forEach(f -> out.computeIfAbsent(f.record().key(), k -> new ArrayList<>())
          .add((AlertEvent) f.record().value()));
      return out;
    }

    Map<String, List<String>> alertsAsJson() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      alerts().forEach((id, records) -> out.put(id, records.stream().map(r -> new String(EventCodec.toJson(r), UTF_8)).toList()));
      return out;
    }

    Map<String, List<String>> scoresAsJson() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      scores().forEach((id, records) -> out.put(id, records.stream().map(r -> new String(EventCodec.toJson(r), UTF_8)).toList()));
      return out;
    }
  }


  private static Map<String, List<GenerationEvent>> generations(int count) {
    Map<String, List<GenerationEvent>> out = new LinkedHashMap<>();
    for (int g = 0; g < count; g++) {
      out.put("g-" + g, events("g-" + g, TEXT));
    }
    return out;
  }

  private static List<GenerationEvent> events(String id, String text) {
    String[] words = text.split("(?= )");
    List<GenerationEvent> events = new ArrayList<>();
    events.add(new GenerationEvent.Start(1, id, "run", "model", "Describe the house number " + id + ".", null, Map.of(), T0));
    for (int i = 0; i < words.length; i++) {
      events.add(new GenerationEvent.Token(1, id, (long) i, words[i], null, -0.1 * (i % 5), null, T0.plusMillis(40L * i)));
    }
    events.add(new GenerationEvent.End(1, id, "stop", T0.plusSeconds(10)));
    return events;
  }

  private static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "off-stream-thread");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
  }
}
