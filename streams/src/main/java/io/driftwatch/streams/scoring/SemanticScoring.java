package io.driftwatch.streams.scoring;

import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.time.Duration;

/**
 * How the topology computes semantic scores: the sentence encoder, and the bounds of a batch. Sentences
 * completed across all generations of a stream task wait until {@code maxBatch} of them are queued or
 * the oldest has waited {@code maxDelay} (wall clock), then are embedded in one call.
 */
public record SemanticScoring(SentenceEncoder encoder, int maxBatch, Duration maxDelay) {

  public static final int DEFAULT_MAX_BATCH = 64;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(20);

  public SemanticScoring {
    if (maxBatch < 1 || maxDelay.isNegative() || maxDelay.isZero()) {
      throw new IllegalArgumentException("a batch needs a positive size and delay, got " + maxBatch + " and " + maxDelay);
    }
  }

  public static SemanticScoring of(SentenceEncoder encoder) {
    return new SemanticScoring(encoder, DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY);
  }
}
