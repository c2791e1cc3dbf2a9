package io.driftwatch.scoring.offline;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.InvalidEventException;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.Output;
import io.driftwatch.scoring.engine.Rejection;
import io.driftwatch.scoring.engine.ScoringEngine;

/**
 * The offline twin of the streaming monitor: feeds events, one JSON document per line as on the tokens
 * topic, to the same {@link ScoringEngine}, with no Kafka at all. Records come out as the same JSON the
 * topology writes to its topics. Generations still open at the end of the input are closed with reason
 * {@value ScoringEngine#EOF}.
 */
public final class OfflineScorer {

  /** Where each kind of output goes; each receives the record's JSON. */
  public interface Sink {
    void score(byte[] json);

    void alert(byte[] json);

    void deadLetter(byte[] json);

    /** A span found in the reference corpus (only with an attribution index). */
    default void span(byte[] json) {}

    /** Keeps nothing: for runs that only time the scoring (benchmarks, warm-up). */
    Sink DISCARD = new Sink() {
      @Override
      public void score(byte[] json) {}

      @Override
      public void alert(byte[] json) {}

      @Override
      public void deadLetter(byte[] json) {}
    };

    /** Keeps only the score records, in order: what the streaming tests and benchmarks compare. */
    static Sink scoresOnly(java.util.function.Consumer<byte[]> scores) {
      return new Sink() {
        @Override
        public void score(byte[] json) {
          scores.accept(json);
        }

        @Override
        public void alert(byte[] json) {}

        @Override
        public void deadLetter(byte[] json) {}
      };
    }
  }

  private final ScoringEngine engine;
  private final EmbeddingBatch batch;
  private final InMemoryGenerationStore store;
  private final Sink sink;
  private final String source;
  private long events;
  private long generations;
  private long deadLetters;
  private long embeddingFailures;
  private RuntimeException lastEmbeddingFailure;

  /**
   * @param source a name for the input (a file name), recorded in dead letters as their source topic
   */
  public OfflineScorer(ScoringEngine engine, String source, Sink sink) {
    this(engine, null, source, sink);
  }

  /**
   * @param batch where sentences wait for their embeddings when the engine computes semantic scores;
   *     null for an engine without them
   */
  public OfflineScorer(ScoringEngine engine, EmbeddingBatch batch, String source, Sink sink) {
    this(engine, batch, new InMemoryGenerationStore(), source, sink);
  }

  /** With a store of one's own ({@link InMemoryGenerationStore#live()} for benchmarks). */
  public OfflineScorer(ScoringEngine engine, EmbeddingBatch batch, InMemoryGenerationStore store, String source, Sink sink) {
    this.store = store;
    if (engine.semantic() && batch == null) {
      throw new IllegalArgumentException("a semantic scoring engine needs an embedding batch");
    }
    this.engine = engine;
    this.batch = batch;
    this.source = source;
    this.sink = sink;
  }

  /** Scores one input line; {@code lineNumber} counts from 1 and lands in dead letters as the offset. */
  public void accept(byte[] line, long lineNumber) {
    GenerationEvent event;
    try {
      event = EventCodec.decode(line);
    } catch (InvalidEventException e) {
      deadLetter(e.rule(), e.detail(), line, lineNumber);
      return;
    }
    events++;
    Output out = engine.process(event, store);
    emit(out);
    for (Rejection r : out.rejections()) {
      deadLetter(r.reason(), r.message(), line, lineNumber);
    }
    if (batch != null) {
      batch.waiting(event.generationId(), out.pending());
      while (batch.full()) {
        flushOnce();
      }
    }
  }

  /** Closes every generation still open, as the end of the input. */
  public void finish() {
    for (String id : store.openGenerations()) {
      Output out = engine.closeIdle(id, store, ScoringEngine.EOF);
      emit(out);
      if (batch != null) {
        batch.waiting(id, out.pending());
      }
    }
    while (batch != null && !batch.isEmpty()) {
      flushOnce();
    }
  }

  private void flushOnce() {
    EmbeddingBatch.Flush flush = batch.flush(store);
    if (flush.failure() != null) {
      // As in the monitor: those sentences are scored without semantic scores (flagged), and counted.
      embeddingFailures++;
      lastEmbeddingFailure = flush.failure();
    }
    flush.outputs().forEach(this::emit);
  }

  /** Batches the embedding model failed on; their sentences were scored without semantic scores. */
  public long embeddingFailures() {
    return embeddingFailures;
  }

  /** The last such failure, or null. */
  public RuntimeException lastEmbeddingFailure() {
    return lastEmbeddingFailure;
  }

  public long events() {
    return events;
  }

  /** Generations closed so far (summary records written). */
  public long generations() {
    return generations;
  }

  public long deadLetters() {
    return deadLetters;
  }

  private void emit(Output out) {
    for (ScoreRecord s : out.scores()) {
      if (ScoreRecord.SUMMARY.equals(s.kind())) {
        generations++;
      }
      sink.score(EventCodec.toJson(s));
    }
    out.alerts().forEach(a -> sink.alert(EventCodec.toJson(a)));
    out.spans().forEach(s -> sink.span(EventCodec.toJson(s)));
  }

  private void deadLetter(String reason, String message, byte[] line, long lineNumber) {
    deadLetters++;
    // The time is left out so that scoring the same file twice gives the same output.
    sink.deadLetter(EventCodec.toJson(DeadLetter.of(reason, message, source, null, lineNumber, null, line, null)));
  }
}
