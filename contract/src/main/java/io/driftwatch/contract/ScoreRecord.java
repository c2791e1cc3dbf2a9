package io.driftwatch.contract;

import java.time.Instant;
import java.util.Map;

/**
 * A record on the scores topic: the scores of one generation over a range of its tokens.
 *
 * <p>{@code kind} is {@link #WINDOW} for rolling values emitted while the generation streams and
 * {@link #SUMMARY} for the one record that closes it; a summary carries the {@code closeReason}
 * ({@code end:<finish_reason>} or {@code idle}). Score names and meanings are documented in
 * {@code docs/events.md} and, as scoring grows, {@code docs/scores.md}.
 */
public record ScoreRecord(
    Integer v,
    String generationId,
    String runId,
    String model,
    String kind,
    long firstSeq,
    long lastSeq,
    long tokens,
    Map<String, Double> scores,
    Instant eventTime,
    Instant processingTime,
    String closeReason) {

  public static final String WINDOW = "window";
  public static final String SUMMARY = "summary";

  public ScoreRecord {
    scores = Map.copyOf(scores);
  }
}
