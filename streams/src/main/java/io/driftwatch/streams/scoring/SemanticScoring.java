package io.driftwatch.streams.scoring;

import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * How the topology computes semantic scores: the sentence encoder, the bounds of a batch, where the
 * model runs, and when it sheds load. Sentences completed across all generations of a stream task wait until {@code maxBatch} of
 * them are queued or the oldest has waited {@code maxDelay} (wall clock), then are embedded in one call.
 *
 * @param modelCalls where model calls run: null runs them on the stream thread, which then waits for
 *     each (the records of a batch go out in the same call that sent it); an executor (such as an
 *     {@link EmbeddingExecutor}) runs them off it, so that the stream thread goes on scoring tokens and
 *     picks the results up later (see {@link GenerationScoringProcessor})
 * @param shedding when generations are scored without semantic scores because the model cannot keep up
 *     ({@link SemanticShedder}); null never sheds
 */
public record SemanticScoring(SentenceEncoder encoder, int maxBatch, Duration maxDelay, Executor modelCalls, LoadShedding shedding) {

  public static final int DEFAULT_MAX_BATCH = 64;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(20);

  public SemanticScoring {
    if (maxBatch < 1 || maxDelay.isNegative() || maxDelay.isZero()) {
      throw new IllegalArgumentException("a batch needs a positive size and delay, got " + maxBatch + " and " + maxDelay);
    }
  }

  /** Model calls on the stream thread, load shedding at its default bounds. */
  public SemanticScoring(SentenceEncoder encoder, int maxBatch, Duration maxDelay) {
    this(encoder, maxBatch, maxDelay, null, LoadShedding.DEFAULTS);
  }

  /** Default batch bounds, model calls on the stream thread. */
  public static SemanticScoring of(SentenceEncoder encoder) {
    return new SemanticScoring(encoder, DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY);
  }

  /** The same, with model calls run by {@code modelCalls} instead of the stream thread. */
  public SemanticScoring offStreamThread(Executor modelCalls) {
    if (modelCalls == null) {
      throw new IllegalArgumentException("an executor for the model calls is needed");
    }
    return new SemanticScoring(encoder, maxBatch, maxDelay, modelCalls, shedding);
  }

  /** The same with load shedding at these bounds, or none (null): every generation gets semantic scores. */
  public SemanticScoring withShedding(LoadShedding bounds) {
    return new SemanticScoring(encoder, maxBatch, maxDelay, modelCalls, bounds);
  }

  public boolean onStreamThread() {
    return modelCalls == null;
  }
}
