package io.driftwatch.scoring.baseline;

/**
 * Where learned baselines are kept, in their binary form ({@link ModelBaseline#encode}), by model: a
 * changelogged state store in Kafka Streams, a map offline. Both keep bytes, so both read back the
 * same sketch.
 */
public interface BaselineStore {

  /** The model's baseline, or null if it has none yet. */
  byte[] get(String model);

  void put(String model, byte[] baseline);

  /** How many models have a baseline here (read once, when the first generation is learned). */
  long count();
}
