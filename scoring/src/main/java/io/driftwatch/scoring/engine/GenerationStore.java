package io.driftwatch.scoring.engine;

import io.driftwatch.scoring.baseline.Baselines;
import java.time.Instant;

/**
 * Where the engine keeps generations: state stores in Kafka Streams, hash maps offline. The engine
 * reads and writes through this interface only, so both paths behave the same.
 */
public interface GenerationStore {

  /** The state of an open generation, or null. */
  GenerationState get(String generationId);

  void put(String generationId, GenerationState state);

  void delete(String generationId);

  /** Whether the generation was closed (its events now arrive too late). */
  boolean isClosed(String generationId);

  void markClosed(String generationId, Instant lastEventTime);

  /**
   * Drops any copy of the generation's state held outside the store itself, after the engine failed
   * half-way through changing it: the next {@link #get} reads what was last stored.
   */
  default void forget(String generationId) {}

  /**
   * The per-model baselines kept beside these generations (learned from their summaries, measured
   * against by their records), or null for none: no percentiles.
   */
  default Baselines baselines() {
    return null;
  }

  /**
   * Whether a generation appearing now is to be scored without semantic scores (load shedding,
   * docs/scores.md). Asked once per generation, when its state is made; the answer is kept in that state,
   * so a restart or a rebalance does not change it. Only a semantic engine asks.
   */
  default boolean shedsSemantic(String generationId) {
    return false;
  }
}
