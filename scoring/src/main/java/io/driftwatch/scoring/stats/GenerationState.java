package io.driftwatch.scoring.stats;

import java.time.Instant;
import java.util.List;

/**
 * What the statistics remember about one open generation: small and bounded (the token window holds at
 * most {@link StatsSettings#window()} entries), so that it fits a key-value store entry.
 *
 * @param lastSeq highest sequence number seen, -1 before the first token
 * @param duplicates tokens ignored because their seq was not above {@code lastSeq} (redelivery)
 * @param gaps tokens whose seq skipped ahead of {@code lastSeq + 1}
 * @param sinceEmit tokens counted since the last window record
 * @param window the most recent tokens, normalised, oldest first
 */
public record GenerationState(
    String generationId,
    String runId,
    String model,
    long firstSeq,
    long lastSeq,
    long tokens,
    long duplicates,
    long gaps,
    int sinceEmit,
    Instant firstEventTime,
    Instant lastEventTime,
    List<String> window) {

  public GenerationState {
    window = List.copyOf(window);
  }

  static GenerationState open(String generationId) {
    return new GenerationState(generationId, null, null, -1, -1, 0, 0, 0, 0, null, null, List.of());
  }
}
