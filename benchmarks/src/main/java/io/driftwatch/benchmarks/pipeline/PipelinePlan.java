package io.driftwatch.benchmarks.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link PipelineBenchmark} run measures. The limits are those of the {@code bench pipeline}
 * options, named in the errors.
 *
 * @param generations generations of the catch-up workload
 * @param tokens tokens per generation
 * @param semanticGenerations generations of the semantic runs, which the model bounds
 * @param partitions partitions of the input topics
 * @param latencyRate offered load of the latency phase, tokens per second
 * @param latencyDuration length of each run of the latency phase
 * @param latencyRuns runs of the latency phase, each on fresh topics; every run's percentiles are printed
 * @param openGenerations open generations of the state and heap measurement
 * @param families the score families to run, in table order
 * @param rounds throughput rounds; medians are printed
 * @param warmupRounds untimed rounds of every variant before the timed ones, while the JIT compiles
 * @param chunkTokens tokens per chunk event of a second, chunked input; 0 for per-token input only
 * @param throughputOnly skip the latency and state-size phases
 * @param referenceIndex the index of the attribution families; empty: the demo's reference book
 * @param kafkaOverrides Kafka Streams and client properties of every Kafka Streams instance started
 * @param overload length of the overload phase (input at {@link #OVERLOAD_FACTOR} times the semantic rate
 *     measured in the same run); zero skips it
 * @param overloadShedding whether the overload phase's monitor sheds load (at the default bounds); off,
 *     to compare
 */
public record PipelinePlan(
    int generations,
    int tokens,
    int semanticGenerations,
    int partitions,
    int latencyRate,
    Duration latencyDuration,
    int latencyRuns,
    int openGenerations,
    List<BenchFamily> families,
    int rounds,
    int warmupRounds,
    int chunkTokens,
    boolean throughputOnly,
    Optional<Path> referenceIndex,
    Map<String, String> kafkaOverrides,
    Duration overload,
    boolean overloadShedding) {

  /** Offered load of the overload phase, in multiples of the semantic throughput measured in the same run. */
  public static final int OVERLOAD_FACTOR = 3;

  /** The contract's most tokens in one chunk event. */
  public static final int MAX_CHUNK_TOKENS = 4096;

  public PipelinePlan {
    positive(generations, "--generations");
    positive(tokens, "--tokens");
    positive(semanticGenerations, "--semantic-generations");
    positive(partitions, "--partitions");
    positive(latencyRate, "--latency-rate");
    positive(latencyRuns, "--latency-runs");
    positive(openGenerations, "--open-generations");
    positive(rounds, "--rounds");
    if (warmupRounds < 0) {
      throw new IllegalArgumentException("--warmup-rounds must be 0 or more");
    }
    if (chunkTokens < 0 || chunkTokens > MAX_CHUNK_TOKENS) {
      throw new IllegalArgumentException("--chunk-tokens must be 0 (per-token input only) to " + MAX_CHUNK_TOKENS
          + " (the contract's limit per chunk)");
    }
    if (latencyDuration.isNegative() || latencyDuration.isZero()) {
      throw new IllegalArgumentException("--latency-duration must be positive");
    }
    if (families.isEmpty()) {
      throw new IllegalArgumentException("--families names no family to run");
    }
    families = List.copyOf(families);
    Objects.requireNonNull(referenceIndex, "referenceIndex");
    kafkaOverrides = Map.copyOf(kafkaOverrides);
    if (overload.isNegative()) {
      throw new IllegalArgumentException("--overload must be 0s (no overload phase) or more");
    }
    if (!overload.isZero() && families.stream().noneMatch(f -> f.semantic)) {
      throw new IllegalArgumentException("--overload offers a multiple of the semantic throughput: --families needs semantic or all");
    }
  }

  private static void positive(int value, String option) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be at least 1");
    }
  }
}
