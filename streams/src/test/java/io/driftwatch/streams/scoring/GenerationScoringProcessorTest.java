package io.driftwatch.streams.scoring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.engine.StateCodec;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.ingest.DecodedEvent;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.state.CommitHookStore;
import io.driftwatch.streams.state.HeapShare;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The scoring processor on a mock context, many records between commits and its punctuators fired by
 * hand: a generation's state reaches the store at a commit (as of its last event), or at once when it
 * closes or its embeddings complete sentences; never at each event.
 */
class GenerationScoringProcessorTest {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  private static final MonitorSettings SETTINGS = MonitorSettings.DEFAULTS;

  @Test
  void stateReachesTheStoreAtEachCommitAsOfTheLastEventBeforeIt() {
    Harness h = new Harness(null);
    h.send(start("g-a"));
    h.send(start("g-b"));
    for (int seq = 0; seq < 4; seq++) {
      h.send(token("g-a", seq, " word"));
      h.send(token("g-b", seq, " word"));
    }
    long lastOfA = h.now() - 5;

    assertThat(h.stored("g-a")).as("nothing is written between commits").isNull();
    assertThat(h.stored("g-b")).isNull();
    assertThat(h.context.forwarded()).isEmpty();

    h.commit();
    assertThat(h.stored("g-a").state().tokens()).isEqualTo(4);
    assertThat(h.stored("g-a").lastSeenMillis()).isEqualTo(lastOfA);
    assertThat(h.stored("g-b").state().tokens()).isEqualTo(4);
    assertThat(h.stored("g-b").lastSeenMillis()).isEqualTo(h.now());

    for (int seq = 4; seq < 7; seq++) {
      h.send(token("g-a", seq, " word"));
    }
    assertThat(h.stored("g-a").state().tokens()).as("the store keeps the last commit's state").isEqualTo(4);
    h.commit();
    assertThat(h.stored("g-a").state().tokens()).isEqualTo(7);
    assertThat(h.stored("g-a").lastSeenMillis()).isEqualTo(h.now());
    assertThat(h.stored("g-b").state().tokens()).as("unchanged since the last commit").isEqualTo(4);
  }

  @Test
  void anEndClosesTheGenerationAtOnceAndALateEventIsDeadLettered() {
    Harness h = new Harness(null);
    h.send(start("g-a"));
    h.send(token("g-a", 0, " Hello"));
    h.commit();
    h.send(token("g-a", 1, " there"));
    h.send(new GenerationEvent.End(1, "g-a", "stop", T0.plusSeconds(1), null));
    long closedAt = h.now();

    assertThat(h.stored("g-a")).as("deleted from the store, not at the next commit").isNull();
    assertThat(h.closed.get("g-a")).isEqualTo(closedAt);
    ScoreRecord summary = h.summaries().get(0);
    assertThat(summary.generationId()).isEqualTo("g-a");
    assertThat(summary.closeReason()).isEqualTo("end:stop");
    assertThat(summary.tokens()).isEqualTo(2);
    assertThat(h.summaries()).hasSize(1);

    h.send(token("g-a", 2, " again"));
    assertThat(h.deadLetters()).extracting(DeadLetter::reason).containsExactly("generation.closed");
    h.commit();
    assertThat(h.stored("g-a")).as("a commit does not write a closed generation back").isNull();
  }

  @Test
  void theIdleCheckClosesQuietGenerationsAndLaterForgetsTheirIds() {
    Harness h = new Harness(null);
    h.send(start("g-quiet"));
    h.send(token("g-quiet", 0, " Hello"));
    long quietSince = h.now();
    CapturedPunctuator idleCheck = h.punctuator(SETTINGS.idleCheckInterval());

    long justBefore = quietSince + SETTINGS.idleTimeout().toMillis() - 1_000;
    h.context.setCurrentSystemTimeMs(justBefore);
    h.send(start("g-busy"));
    idleCheck.getPunctuator().punctuate(justBefore);
    assertThat(h.summaries()).as("not idle yet").isEmpty();

    long closedAt = quietSince + SETTINGS.idleTimeout().toMillis() + 1_000;
    h.context.setCurrentSystemTimeMs(closedAt);
    idleCheck.getPunctuator().punctuate(closedAt);
    assertThat(h.summaries()).extracting(ScoreRecord::generationId).containsExactly("g-quiet");
    assertThat(h.summaries().get(0).closeReason()).isEqualTo(ScoringEngine.IDLE);
    assertThat(h.summaries().get(0).tokens()).isEqualTo(1);
    assertThat(h.stored("g-quiet")).isNull();
    assertThat(h.closed.get("g-quiet")).isEqualTo(closedAt);
    assertThat(h.metrics.activeGenerationsNow()).isEqualTo(1);
    h.commit();
    assertThat(h.stored("g-busy").state().generationId()).isEqualTo("g-busy");

    long beforeRetention = closedAt + SETTINGS.closedRetention().toMillis() - 1;
    idleCheck.getPunctuator().punctuate(beforeRetention);
    assertThat(h.closed.get("g-quiet")).as("still remembered within its retention").isEqualTo(closedAt);
    long afterRetention = closedAt + SETTINGS.closedRetention().toMillis() + Duration.ofMinutes(1).toMillis();
    idleCheck.getPunctuator().punctuate(afterRetention);
    assertThat(h.closed.get("g-quiet")).as("forgotten after its retention").isNull();
  }

  @Test
  void aGenerationRestoredAfterAnOutageLongerThanTheIdleTimeoutGetsTheWholeTimeoutAgain() {
    Harness h = new Harness(null);
    long restart = openThenRestartAfterALongOutage(h);
    CapturedPunctuator idleCheck = h.punctuator(SETTINGS.idleCheckInterval());
    idleCheck.getPunctuator().punctuate(restart + SETTINGS.idleCheckInterval().toMillis());
    assertThat(h.summaries()).as("not closed as idle at the first check after the restart").isEmpty();

    h.sendAt(token("g-a", 1, " again"), restart + 2_000);
    h.sendAt(new GenerationEvent.End(1, "g-a", "stop", T0.plusSeconds(1)), restart + 2_005);
    assertThat(h.deadLetters()).isEmpty();
    assertThat(h.summaries()).singleElement().satisfies(summary -> {
      assertThat(summary.closeReason()).isEqualTo("end:stop");
      assertThat(summary.tokens()).isEqualTo(2);
    });
  }

  @Test
  void aGenerationRestoredAfterAnOutageStillClosesAsIdleOneTimeoutAfterTheRestart() {
    Harness h = new Harness(null);
    long restart = openThenRestartAfterALongOutage(h);
    CapturedPunctuator idleCheck = h.punctuator(SETTINGS.idleCheckInterval());
    idleCheck.getPunctuator().punctuate(restart + SETTINGS.idleTimeout().toMillis() - 1_000);
    assertThat(h.summaries()).isEmpty();
    idleCheck.getPunctuator().punctuate(restart + SETTINGS.idleTimeout().toMillis() + 1_000);
    assertThat(h.summaries()).extracting(ScoreRecord::closeReason).containsExactly(ScoringEngine.IDLE);
  }

  /**
   * Opens generation g-a with one token, commits, and restarts the task after an outage of five idle
   * timeouts, in which the generation's next events wait in the backlog; returns the restart's time.
   */
  private static long openThenRestartAfterALongOutage(Harness h) {
    h.send(start("g-a"));
    h.send(token("g-a", 0, " Hello"));
    h.commit();
    long restart = h.now() + 5 * SETTINGS.idleTimeout().toMillis();
    h.context.setCurrentSystemTimeMs(restart);
    h.processor.close();
    h.processor.init(h.context);
    return restart;
  }

  @Test
  void sentencesWaitForTheBatchPunctuatorWhoseFlushWritesTheirStateWithoutACommit() {
    List<List<String>> calls = new ArrayList<>();
    Duration maxDelay = Duration.ofMillis(100);
    SemanticScoring semantic = new SemanticScoring(texts -> {
      calls.add(List.copyOf(texts));
      float[][] vectors = new float[texts.size()][];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = new float[] {1f, texts.get(i).length() / 100f, 0.5f};
      }
      return vectors;
    }, 64, maxDelay);
    Harness h = new Harness(semantic);
    CapturedPunctuator batchTimer = h.punctuator(maxDelay.dividedBy(4));
    // All within one millisecond of wall clock, as a stream thread takes a poll's records.
    long arrived = T0.plusSeconds(1).toEpochMilli();
    h.sendAt(start("g-a"), arrived);
    String[] words = {" The", " house", " stood", " still.", " Its", " door", " was", " open.", " Nobody"};
    for (int seq = 0; seq < words.length; seq++) {
      h.sendAt(token("g-a", seq, words[seq]), arrived);
    }

    batchTimer.getPunctuator().punctuate(arrived + maxDelay.toMillis() - 1);
    assertThat(calls).as("not due yet").isEmpty();
    assertThat(h.sentences()).isEmpty();
    assertThat(h.stored("g-a")).isNull();

    long due = arrived + maxDelay.toMillis();
    h.context.setCurrentSystemTimeMs(due);
    batchTimer.getPunctuator().punctuate(due);
    assertThat(calls).hasSize(1);
    // The prompt is embedded with the sentences; the unfinished third sentence is not.
    assertThat(calls.get(0)).containsExactly("Describe g-a.", "The house stood still.", "Its door was open.");
    assertThat(h.sentences()).extracting(ScoreRecord::sentence).containsExactly(0, 1);
    assertThat(h.sentences()).extracting(ScoreRecord::firstSeq).containsExactly(0L, 4L);
    assertThat(h.sentences()).extracting(ScoreRecord::lastSeq).containsExactly(3L, 7L);
    assertThat(h.stored("g-a").state().tokens()).as("written at the flush, before any commit").isEqualTo(9);

    batchTimer.getPunctuator().punctuate(due + maxDelay.toMillis());
    assertThat(calls).as("nothing left waiting").hasSize(1);
  }

  @Test
  void generationsBeyondTheTasksShareOfTheHeapTakeTurnsAndScoreAsIfAllFit() {
    // Room for about three ordinary states, eight generations token by token, a commit every seven
    // events: states are pushed out pending and between commits, written, and decoded at their next event.
    Harness tight = new Harness(null, new HeapShare(3 * OpenGeneration.ORDINARY_HEAP_BYTES, 1));
    Harness roomy = new Harness(null, new HeapShare(Long.MAX_VALUE / 2, 1));
    String[] words = (" The lamp was lit. Ann read the letter twice. The rain kept on all night. She folded the page"
        + " and put it away. Tom came home late; the lamp was still lit.").split("(?= )");
    List<String> ids = List.of("g-0", "g-1", "g-2", "g-3", "g-4", "g-5", "g-6", "g-7");
    List<GenerationEvent> events = new ArrayList<>();
    ids.forEach(id -> events.add(start(id)));
    for (int seq = 0; seq < words.length; seq++) {
      for (String id : ids) {
        events.add(token(id, seq, words[seq]));
      }
    }
    ids.subList(0, 4).forEach(id -> events.add(new GenerationEvent.End(1, id, "stop", T0.plusSeconds(5), null)));
    for (int i = 0; i < events.size(); i++) {
      tight.send(events.get(i));
      roomy.send(events.get(i));
      if (i % 7 == 6) {
        tight.commit();
        roomy.commit();
      }
    }
    tight.commit();
    roomy.commit();

    assertThat(tight.metrics.liveStatesEvictedTotal()).as("states were pushed out").isGreaterThan(50);
    assertThat(roomy.metrics.liveStatesEvictedTotal()).isZero();
    assertThat(tight.sentences()).hasSizeGreaterThan(30);
    assertThat(tight.scores()).isEqualTo(roomy.scores());
    assertThat(tight.summaries()).hasSize(4);
    for (String id : ids.subList(4, 8)) {
      assertThat(StateCodec.encode(tight.stored(id).state())).as(id).isEqualTo(StateCodec.encode(roomy.stored(id).state()));
      assertThat(tight.stored(id).lastSeenMillis()).isEqualTo(roomy.stored(id).lastSeenMillis());
    }
  }

  @Test
  void aTaskHoldsItsShareOfTheHeapFromInitUntilClose() {
    HeapShare share = new HeapShare(100 * OpenGeneration.ORDINARY_HEAP_BYTES, 1);
    Harness first = new Harness(null, share);
    Harness second = new Harness(null, share);
    assertThat(share.tasks()).isEqualTo(2);
    first.processor.init(first.context); // initialised again after a restore: still one task
    assertThat(share.tasks()).isEqualTo(2);
    first.processor.close();
    assertThat(share.tasks()).isEqualTo(1);
    assertThat(share.taskShare()).isEqualTo(100 * OpenGeneration.ORDINARY_HEAP_BYTES);
    second.processor.close();
    assertThat(share.tasks()).isZero();
  }

  private static GenerationEvent start(String id) {
    return new GenerationEvent.Start(1, id, "run", "model", "Describe " + id + ".", null, Map.of(), T0);
  }

  private static GenerationEvent token(String id, int seq, String text) {
    return new GenerationEvent.Token(1, id, (long) seq, text, null, -0.2, null, T0.plusMillis(40L * seq));
  }

  /**
   * The processor alone with its three stores; the write-behind hook runs only when the test calls
   * {@link #commit}, as at the end of a real commit interval.
   */
  private static final class Harness {
    final MockProcessorContext<String, Object> context = new MockProcessorContext<>(props());
    final DriftwatchMetrics metrics = new DriftwatchMetrics(new PrometheusRegistry(), 5);
    final CommitHookStore<String, OpenGeneration> open;
    final KeyValueStore<String, Long> closed;
    final GenerationScoringProcessor processor;

    Harness(SemanticScoring semantic) {
      this(semantic, GenerationScoringProcessor.liveStateShare(MonitorSettings.DEFAULT_LIVE_STATE_HEAP_PERCENT));
    }

    Harness(SemanticScoring semantic, HeapShare liveStates) {
      context.setCurrentSystemTimeMs(T0.toEpochMilli());
      KeyValueStore<String, OpenGeneration> openStore = CommitHookStore.wrap(Stores.keyValueStoreBuilder(
          Stores.inMemoryKeyValueStore("open"), Serdes.String(), OpenGeneration.serde()).withLoggingDisabled()).build();
      closed = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("closed"), Serdes.String(), Serdes.Long())
          .withLoggingDisabled().build();
      KeyValueStore<String, byte[]> baselines = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("baselines"),
          Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
      for (var store : List.of(openStore, closed, baselines)) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
      }
      open = CommitHookStore.of(openStore);
      processor = new GenerationScoringProcessor(
          new ScoringEngine(ScoringSettings.DEFAULTS, semantic != null),
          new GenerationScoringProcessor.StoreNames("open", "closed", "baselines"),
          new GenerationScoringProcessor.Children("scores", "alerts", "spans", "dead-letters"),
          new GenerationScoringProcessor.Timing(SETTINGS.idleTimeout(), SETTINGS.idleCheckInterval(), SETTINGS.closedRetention()),
          metrics, semantic, BaselineSettings.DEFAULTS, liveStates);
      processor.init(context);
    }

    void send(GenerationEvent event) {
      sendAt(event, context.currentSystemTimeMs() + 5);
    }

    void sendAt(GenerationEvent event, long wallClockMillis) {
      context.setCurrentSystemTimeMs(wallClockMillis);
      processor.process(new Record<>(event.generationId(),
          new DecodedEvent(event, event.generationId().getBytes(UTF_8), EventCodec.encode(event)), event.eventTime().toEpochMilli()));
    }

    long now() {
      return context.currentSystemTimeMs();
    }

    void commit() {
      open.flushCache();
    }

    OpenGeneration stored(String id) {
      return open.get(id);
    }

    CapturedPunctuator punctuator(Duration interval) {
      return context.scheduledPunctuators().stream()
          .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME && p.getInterval().equals(interval))
          .reduce((earlier, later) -> later).orElseThrow(); // the latest init's
    }

    List<ScoreRecord> scores() {
      return context.forwarded("scores").stream().map(f -> (ScoreRecord) f.record().value()).toList();
    }

    List<ScoreRecord> summaries() {
      return scores().stream().filter(r -> ScoreRecord.SUMMARY.equals(r.kind())).toList();
    }

    List<ScoreRecord> sentences() {
      return scores().stream().filter(r -> ScoreRecord.SENTENCE.equals(r.kind())).toList();
    }

    List<DeadLetter> deadLetters() {
      return context.forwarded("dead-letters").stream().map(f -> (DeadLetter) f.record().value()).toList();
    }
  }

  private static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "generation-scoring-processor");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
  }
}
