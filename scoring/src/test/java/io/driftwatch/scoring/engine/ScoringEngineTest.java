package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Score;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.text.SimpleTokenizer;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's contract with its callers, event by event: what a generation yields, which events it
 * refuses and why, and how sentences wait for their embeddings. The scores themselves are tested with
 * their scorers.
 */
class ScoringEngineTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String TEXT = "The river ran past the mill. The miller counted his sacks twice. Then the rain came.";

  private InMemoryGenerationStore store;
  private List<ScoreRecord> records;
  private List<Rejection> rejections;

  @BeforeEach
  void setUp() {
    store = new InMemoryGenerationStore();
    records = new ArrayList<>();
    rejections = new ArrayList<>();
  }

  @Test
  void aGenerationYieldsOneRecordPerSentenceThenOneSummary() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    int tokens = stream(engine, "g", TEXT);
    apply(engine.process(end("g"), store));

    assertThat(records).extracting(ScoreRecord::kind)
        .containsExactly(ScoreRecord.SENTENCE, ScoreRecord.SENTENCE, ScoreRecord.SENTENCE, ScoreRecord.SUMMARY);
    List<ScoreRecord> sentences = records.subList(0, 3);
    assertThat(sentences).extracting(ScoreRecord::sentence).containsExactly(0, 1, 2);
    // The sentences tile the tokens: each starts where the one before ended.
    assertThat(sentences.get(0).firstSeq()).isZero();
    for (int i = 1; i < 3; i++) {
      assertThat(sentences.get(i).firstSeq()).isEqualTo(sentences.get(i - 1).lastSeq() + 1);
    }
    assertThat(sentences.get(2).lastSeq()).isEqualTo(tokens - 1L);
    ScoreRecord summary = records.get(3);
    assertThat(summary.tokens()).isEqualTo(tokens);
    assertThat(summary.sentences()).isEqualTo(3);
    assertThat(rejections).isEmpty();
    assertThat(store.openGenerations()).isEmpty();
    assertThat(store.isClosed("g")).isTrue();
  }

  @Test
  void eventsAfterTheEndAreRefusedAsClosed() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    int tokens = stream(engine, "g", TEXT);
    apply(engine.process(end("g"), store));
    int before = records.size();

    apply(engine.process(token("g", tokens, " More."), store));
    apply(engine.process(end("g"), store));

    assertThat(rejections).extracting(Rejection::reason).containsExactly("generation.closed", "generation.closed");
    assertThat(records).hasSize(before);
  }

  /**
   * In the topology the closed ids are a store read at every event, so the engine asks them only of events
   * whose generation has no state (an open generation cannot be closed: closing deletes its state).
   */
  @Test
  void theClosedIdsAreAskedOnlyOfEventsWhoseGenerationHasNoState() {
    List<String> asked = new ArrayList<>();
    GenerationStore counting = new ForwardingGenerationStore(store) {
      @Override
      public boolean isClosed(String id) {
        asked.add(id);
        return super.isClosed(id);
      }
    };
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    apply(engine.process(start("g"), counting));
    List<String> words = SimpleTokenizer.tokenize(TEXT);
    for (int i = 0; i < words.size(); i++) {
      apply(engine.process(token("g", i, words.get(i)), counting));
    }
    apply(engine.process(end("g"), counting));
    assertThat(asked).as("asked of the start only").containsExactly("g");

    apply(engine.process(token("g", words.size(), " Late."), counting));
    apply(engine.process(token("other", 0, "An implicit start."), counting));
    assertThat(asked).containsExactly("g", "g", "other");
    assertThat(rejections).extracting(Rejection::reason).containsExactly("generation.closed");
    assertThat(records.get(records.size() - 1).kind()).isEqualTo(ScoreRecord.SUMMARY);
  }

  @Test
  void aSecondStartAndAnEndOfAnUnknownGenerationAreRefused() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    apply(engine.process(start("g"), store));
    apply(engine.process(start("g"), store));
    apply(engine.process(end("never-started"), store));

    assertThat(rejections).extracting(Rejection::reason).containsExactly("start.duplicate", "generation.unknown");
  }

  @Test
  void aTokenAtOrBelowTheLastSeqIsRefusedAndTheRestOfItsChunkIsScored() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    apply(engine.process(start("g"), store));
    apply(engine.process(token("g", 0, "The"), store));
    apply(engine.process(token("g", 1, " river"), store));
    apply(engine.process(new GenerationEvent.Chunk(1, "g", 1L, List.of(
        new GenerationEvent.ChunkToken(" river", null, null, null),
        new GenerationEvent.ChunkToken(" ran", null, null, null)), T0), store));

    assertThat(rejections).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo("seq.out_of_order");
      assertThat(r.message()).contains("the other tokens of this event were scored");
    });
    apply(engine.process(end("g"), store));
    assertThat(records.get(records.size() - 1).tokens()).isEqualTo(3);
  }

  @Test
  void tokensBeforeTheStartAreScoredAndTheGenerationIsFlagged() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    apply(engine.process(token("g", 0, "Early"), store));
    apply(engine.process(start("g"), store));
    apply(engine.process(token("g", 1, " words."), store));
    apply(engine.process(end("g"), store));

    ScoreRecord summary = records.get(records.size() - 1);
    assertThat(summary.kind()).isEqualTo(ScoreRecord.SUMMARY);
    assertThat(summary.tokens()).isEqualTo(2);
    assertThat(summary.flags()).contains("implicit_start", "late_start");
  }

  @Test
  void withSemanticScoresSentencesWaitForTheirEmbeddingsAndTheEndWaitsForThem() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true);
    apply(engine.process(start("g"), store));
    stream(engine, "g", TEXT, false);
    Output ended = engine.process(end("g"), store);
    apply(ended);

    // The prompt and three sentences wait; nothing is emitted before the model answers.
    assertThat(records).isEmpty();
    assertThat(ended.pending()).isEqualTo(4);
    assertThat(engine.pendingTexts("g", store)).hasSize(4).first().isEqualTo("Tell me about the mill.");

    apply(engine.completeEmbeddings("g", new float[][] {axis(0), axis(0), axis(1)}, store));
    assertThat(records).extracting(ScoreRecord::kind).containsExactly(ScoreRecord.SENTENCE, ScoreRecord.SENTENCE);
    assertThat(records.get(1).scores().get("sentence_semantic_coherence")).isEqualTo(0.0);

    // A failed embedding completes its sentence without semantic scores, flagged, and lets the end through.
    apply(engine.completeEmbeddings("g", new float[][] {null}, store));
    assertThat(records).extracting(ScoreRecord::kind)
        .containsExactly(ScoreRecord.SENTENCE, ScoreRecord.SENTENCE, ScoreRecord.SENTENCE, ScoreRecord.SUMMARY);
    assertThat(records.get(2).flags()).contains("semantic_unavailable");
    assertThat(records.get(2).scores()).doesNotContainKey("sentence_semantic_coherence");
    assertThat(records.get(3).flags()).contains("semantic_unavailable");
    assertThat(store.isClosed("g")).isTrue();
  }

  @Test
  void withSemanticScoresAlertsOnOtherScoresGoOutWhenTheSentenceEndsAndSemanticOnesWithTheEmbedding() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS.withAlertRules(List.of(
        new AlertRule("lexical", Score.SENTENCE_COHERENCE.wireName(), -1, -2, 1, 1),
        new AlertRule("semantic", Score.SENTENCE_SEMANTIC_COHERENCE.wireName(), -1, -2, 1, 1))), true);
    List<AlertEvent> alerts = new ArrayList<>();
    apply(engine.process(start("g"), store));
    List<String> tokens = SimpleTokenizer.tokenize(TEXT);
    for (int seq = 0; seq < tokens.size(); seq++) {
      Output out = engine.process(token("g", seq, tokens.get(seq)), store);
      apply(out);
      alerts.addAll(out.alerts());
    }

    // Sentence 1 (the first with a sentence coherence) has ended; no embedding has come back.
    assertThat(records).isEmpty();
    assertThat(alerts).extracting(AlertEvent::rule, AlertEvent::sentence).containsExactly(tuple("lexical", 1));
    double raisedOn = alerts.get(0).value();

    Output completed = engine.completeEmbeddings("g", new float[][] {axis(0), axis(0), axis(1)}, store);
    apply(completed);
    // The semantic rule waits for the embedding; the lexical one is not evaluated again.
    assertThat(completed.alerts()).extracting(AlertEvent::rule, AlertEvent::sentence).containsExactly(tuple("semantic", 1));
    assertThat(records.get(1).scores()).containsEntry(Score.SENTENCE_COHERENCE.wireName(), raisedOn);
  }

  @Test
  void aRuleNeedsEmbeddingsWhenItWatchesASemanticScoreOrItsPercentile() {
    assertThat(new AlertRule("a", "topic_shift", 1, 0, 1, 1).needsEmbeddings()).isTrue();
    assertThat(new AlertRule("a", "topic_shift_pct", 1, 0, 1, 1).needsEmbeddings()).isTrue();
    assertThat(new AlertRule("a", "loop_repeats", 1, 0, 1, 1).needsEmbeddings()).isFalse();
    assertThat(new AlertRule("a", "entity_shift_pct", 1, 0, 1, 1).needsEmbeddings()).isFalse();
    assertThat(new AlertRule("a", "longest_verbatim_span", 1, 0, 1, 1).needsEmbeddings()).isFalse();
  }

  private int stream(ScoringEngine engine, String id, String text) {
    return stream(engine, id, text, true);
  }

  private int stream(ScoringEngine engine, String id, String text, boolean withStart) {
    if (withStart) {
      apply(engine.process(start(id), store));
    }
    List<String> tokens = SimpleTokenizer.tokenize(text);
    for (int seq = 0; seq < tokens.size(); seq++) {
      apply(engine.process(token(id, seq, tokens.get(seq)), store));
    }
    return tokens.size();
  }

  private void apply(Output out) {
    records.addAll(out.scores());
    rejections.addAll(out.rejections());
  }

  private static GenerationEvent.Start start(String id) {
    return new GenerationEvent.Start(1, id, "run", "model", "Tell me about the mill.", null, Map.of(), T0);
  }

  private static GenerationEvent.Token token(String id, long seq, String text) {
    return new GenerationEvent.Token(1, id, seq, text, null, null, null, T0.plusMillis(seq));
  }

  private static GenerationEvent.End end(String id) {
    return new GenerationEvent.End(1, id, "stop", T0.plusSeconds(10));
  }

  private static float[] axis(int i) {
    float[] v = new float[8];
    v[i] = 1;
    return v;
  }
}
