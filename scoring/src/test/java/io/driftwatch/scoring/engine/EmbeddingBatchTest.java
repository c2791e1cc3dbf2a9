package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sentences waiting for embeddings: batching across generations, closing, late events, model failure. */
class EmbeddingBatchTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private final ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true);
  private final InMemoryGenerationStore store = new InMemoryGenerationStore();
  private final List<Integer> calls = new ArrayList<>();

  /** A stand-in model (LetterEncoder) that records the size of every call. */
  private final SentenceEncoder letters = texts -> {
    calls.add(texts.size());
    return new LetterEncoder().encode(texts);
  };


  @Test
  void sentencesOfManyGenerationsWaitAndAreEmbeddedInOneCall() {
    EmbeddingBatch batch = new EmbeddingBatch(engine, letters, 1000);
    List<ScoreRecord> records = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      batch.waiting(id, engine.process(start(id), store).pending());
      for (int i = 0; i < 5; i++) {
        Output out = engine.process(token(id, i, " Sentence " + i + " of " + id + "."), store);
        assertThat(out.scores()).isEmpty();
        batch.waiting(id, out.pending());
      }
    }
    assertThat(batch.texts()).isEqualTo(3 * (1 + 4)); // a prompt and four completed sentences each
    EmbeddingBatch.Flush flush = batch.flush(store);
    assertThat(calls).containsExactly(15);
    assertThat(flush.generations()).isEqualTo(3);
    flush.outputs().forEach(o -> records.addAll(o.scores()));
    assertThat(records).hasSize(12).allSatisfy(r -> assertThat(r.kind()).isEqualTo(ScoreRecord.SENTENCE));
    assertThat(records.get(1).scores()).containsKeys("sentence_semantic_coherence", "semantic_local_coherence",
        "sentence_coherence_radius", "local_coherence");
    assertThat(batch.isEmpty()).isTrue();
  }

  @Test
  void anEndWhileSentencesWaitClosesOnceTheyAreScoredAndRejectsLaterEvents() {
    EmbeddingBatch batch = new EmbeddingBatch(engine, letters, 1000);
    batch.waiting("g", engine.process(start("g"), store).pending());
    batch.waiting("g", engine.process(token("g", 0, "One sentence here."), store).pending());
    batch.waiting("g", engine.process(token("g", 1, " And an unfinished one"), store).pending());
    Output end = engine.process(new GenerationEvent.End(1, "g", "stop", T0.plusSeconds(1)), store);
    assertThat(end.scores()).isEmpty();
    batch.waiting("g", end.pending());
    Output late = engine.process(token("g", 2, "late"), store);
    assertThat(late.rejections()).extracting(Rejection::reason).containsExactly("generation.closed");

    List<ScoreRecord> records = batch.flush(store).outputs().get(0).scores();
    assertThat(records).extracting(ScoreRecord::kind).containsExactly(ScoreRecord.SENTENCE, ScoreRecord.SENTENCE, ScoreRecord.SUMMARY);
    assertThat(records.get(2).closeReason()).isEqualTo("end:stop");
    assertThat(store.isClosed("g")).isTrue();
    assertThat(store.openGenerations()).isEmpty();
  }

  @Test
  void aFailingModelCompletesSentencesWithoutSemanticScoresAndFlagsThem() {
    EmbeddingBatch batch = new EmbeddingBatch(engine, texts -> {
      throw new IllegalStateException("model crashed");
    }, 1000);
    batch.waiting("g", engine.process(start("g"), store).pending());
    batch.waiting("g", engine.process(token("g", 0, "One sentence here."), store).pending());
    batch.waiting("g", engine.process(token("g", 1, " Two."), store).pending());
    batch.waiting("g", engine.process(token("g", 2, " Three."), store).pending());
    EmbeddingBatch.Flush flush = batch.flush(store);
    assertThat(flush.failure()).hasMessage("model crashed");
    List<ScoreRecord> records = flush.outputs().get(0).scores();
    assertThat(records).isNotEmpty().allSatisfy(r -> {
      assertThat(r.flags()).contains("semantic_unavailable");
      assertThat(r.scores()).doesNotContainKey("semantic_local_coherence").containsKey("loop_repeats");
    });
  }

  @Test
  void anEngineWithoutSemanticScoresCompletesWaitingSentencesItFindsInTheStore() {
    // Written by a semantic engine, then the monitor restarts with --no-semantic.
    engine.process(start("g"), store);
    engine.process(token("g", 0, "One sentence here."), store);
    engine.process(token("g", 1, " Two."), store);
    engine.process(new GenerationEvent.End(1, "g", "stop", T0.plusSeconds(1)), store);
    assertThat(store.openGenerations()).containsExactly("g");

    ScoringEngine lexical = new ScoringEngine(ScoringSettings.DEFAULTS);
    Output out = lexical.process(token("g", 2, " late"), store);
    assertThat(out.scores()).extracting(ScoreRecord::kind).containsExactly(ScoreRecord.SENTENCE, ScoreRecord.SENTENCE, ScoreRecord.SUMMARY);
    assertThat(out.scores()).allSatisfy(r -> assertThat(r.flags()).contains("semantic_unavailable"));
    assertThat(out.rejections()).extracting(Rejection::reason).containsExactly("generation.closed");
    assertThat(store.openGenerations()).isEmpty();
  }

  @Test
  void aFlushIsBoundedAndLeavesTheRestQueued() {
    EmbeddingBatch batch = new EmbeddingBatch(engine, letters, 4);
    for (String id : List.of("a", "b", "c")) {
      batch.waiting(id, engine.process(start(id), store).pending());
      for (int i = 0; i < 3; i++) {
        batch.waiting(id, engine.process(token(id, i, " Sentence " + i + "."), store).pending());
      }
    }
    assertThat(batch.texts()).isEqualTo(9); // a prompt and two completed sentences each
    assertThat(batch.flush(store).generations()).isEqualTo(2); // 3 + 3 texts reach the bound of 4
    assertThat(batch.texts()).isEqualTo(3);
    assertThat(batch.flush(store).generations()).isEqualTo(1);
    assertThat(batch.isEmpty()).isTrue();
    assertThat(calls).containsExactly(6, 3);
  }

  @Test
  void vectorsOfAnotherSizeCompleteTheGenerationWithoutSemanticScores() {
    int[] dims = {26};
    SentenceEncoder changing = texts -> {
      float[][] out = new float[texts.size()][dims[0]];
      for (float[] v : out) {
        v[0] = 1;
      }
      return out;
    };
    EmbeddingBatch batch = new EmbeddingBatch(engine, changing, 1000);
    batch.waiting("g", engine.process(start("g"), store).pending());
    batch.waiting("g", engine.process(token("g", 0, "One."), store).pending());
    batch.waiting("g", engine.process(token("g", 1, " Two."), store).pending());
    batch.flush(store);
    dims[0] = 12; // a different model after a restart
    batch.waiting("g", engine.process(token("g", 2, " Three."), store).pending());
    EmbeddingBatch.Flush flush = batch.flush(store);
    assertThat(flush.failure()).isNotNull();
    assertThat(flush.failedGenerations()).containsExactly("g");
    assertThat(flush.outputs().get(0).scores()).singleElement().satisfies(r -> assertThat(r.flags()).contains("semantic_unavailable"));
  }

  @Test
  void aGenerationThatCannotBeCompletedEvenWithoutEmbeddingsLeavesTheRestOfTheBatchScored() {
    EmbeddingBatch batch = new EmbeddingBatch(engine, letters, 1000);
    for (String id : List.of("ok", "bad")) {
      batch.waiting(id, engine.process(start(id), store).pending());
      batch.waiting(id, engine.process(token(id, 0, "One sentence."), store).pending());
      batch.waiting(id, engine.process(token(id, 1, " Two"), store).pending());
    }
    EmbeddingBatch.Request request = batch.take(store);
    // A store that fails on one generation (standing in for a bug): its completion throws, with
    // embeddings and without.
    GenerationStore failing = new ForwardingGenerationStore(store) {
      @Override
      public GenerationState get(String generationId) {
        if (generationId.equals("bad")) {
          throw new IllegalStateException("injected");
        }
        return super.get(generationId);
      }
    };
    EmbeddingBatch.Flush flush = batch.apply(request, batch.encode(request), failing);
    assertThat(flush.failedGenerations()).containsExactly("bad");
    assertThat(flush.failure()).hasMessage("injected");
    assertThat(flush.failure().getSuppressed()).singleElement().satisfies(e -> assertThat(e).hasMessage("injected"));
    assertThat(flush.outputs()).extracting(Output::generationId).containsExactly("ok");
    assertThat(engine.pendingTexts("ok", store)).isEmpty();
    assertThat(engine.pendingTexts("bad", store)).as("still waiting").hasSize(2);
  }

  @Test
  void sentencesCompletedWhileABatchIsInFlightQueueBehindItAndAreTakenNext() {
    EmbeddingBatch batch = new EmbeddingBatch(engine, letters, 1000);
    batch.waiting("g", engine.process(start("g"), store).pending());
    batch.waiting("g", engine.process(token("g", 0, "One sentence."), store).pending());
    batch.waiting("g", engine.process(token("g", 1, " Two"), store).pending()); // ends the first sentence
    EmbeddingBatch.Request first = batch.take(store);
    assertThat(first.texts()).hasSize(2).first().isEqualTo("Tell me about sentences.");
    assertThat(first.texts().get(1)).contains("One sentence.");
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.textsInFlight()).isEqualTo(2);

    // The generation goes on while its first texts are with the model: the new sentence waits behind them.
    engine.process(token("g", 2, " sentences."), store);
    Output meanwhile = engine.process(token("g", 3, " Three"), store);
    assertThat(meanwhile.scores()).isEmpty();
    batch.waiting("g", meanwhile.pending());
    assertThat(batch.texts()).isEqualTo(1);
    EmbeddingBatch.Request second = batch.take(store);
    assertThat(second.texts()).singleElement().asString().contains("Two sentences.");

    // Applied in the order taken, each completes its own sentences.
    List<ScoreRecord> records = new ArrayList<>(batch.apply(first, batch.encode(first), store).outputs().get(0).scores());
    records.addAll(batch.apply(second, batch.encode(second), store).outputs().get(0).scores());
    assertThat(records).extracting(ScoreRecord::sentence).containsExactly(0, 1);
    assertThat(batch.textsInFlight()).isZero();
    assertThat(engine.pendingTexts("g", store)).isEmpty();
  }

  @Test
  void recordsAreTheSameWhateverTheBatchSize() {
    List<String> byOne = run(1);
    assertThat(byOne).isNotEmpty().isEqualTo(run(7)).isEqualTo(run(1000));
  }

  private List<String> run(int maxTexts) {
    InMemoryGenerationStore own = new InMemoryGenerationStore();
    EmbeddingBatch batch = new EmbeddingBatch(engine, letters, maxTexts);
    List<Output> outputs = new ArrayList<>();
    batch.waiting("g", engine.process(start("g"), own).pending());
    for (int i = 0; i < 40; i++) {
      Output out = engine.process(token("g", i, (i % 3 == 2 ? " word." : " word" + (i % 5))), own);
      outputs.add(out);
      batch.waiting("g", out.pending());
      if (batch.full()) {
        outputs.addAll(batch.flush(own).outputs());
      }
    }
    Output end = engine.process(new GenerationEvent.End(1, "g", "stop", T0.plusSeconds(9)), own);
    outputs.add(end);
    batch.waiting("g", end.pending());
    outputs.addAll(batch.flush(own).outputs());
    List<String> records = new ArrayList<>();
    outputs.forEach(o -> o.scores().forEach(r -> records.add(r.toString())));
    outputs.forEach(o -> o.alerts().forEach(a -> records.add(a.toString())));
    return records;
  }

  private static GenerationEvent start(String id) {
    return new GenerationEvent.Start(1, id, "run", "model", "Tell me about sentences.", null, Map.of(), T0);
  }

  private static GenerationEvent token(String id, long seq, String text) {
    return new GenerationEvent.Token(1, id, seq, text, null, null, null, T0.plusMillis(10 * (seq + 1)));
  }
}
