package io.driftwatch.benchmarks.scale;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link ScaleOutBenchmark} run measures. The limits are those of the {@code bench scale}
 * options, named in the errors.
 *
 * @param generations generations of the workload
 * @param tokens tokens per generation
 * @param chunkTokens tokens per chunk event; 0 for one event per token
 * @param instances the most monitor instances run together; every count from 1 up to it is measured
 * @param rounds rounds of each count; medians are printed
 * @param pin pin each instance to one core of its own (taskset) besides limiting its JVM to one processor
 * @param rebalance also run {@code instances} instances with one killed and one started mid-run, and compare
 *     every score record with the offline scorer's
 * @param classpath the classpath of the monitor's JVMs
 * @param mainClass the CLI's main class, which the instances run as {@code run}
 */
public record ScalePlan(int generations, int tokens, int chunkTokens, int instances, int rounds, boolean pin, boolean rebalance,
    String classpath, String mainClass) {

  public ScalePlan {
    require(generations >= 3, "--generations must be at least 3, not " + generations);
    require(tokens >= 20, "--tokens must be at least 20, not " + tokens);
    require(chunkTokens >= 0, "--chunk-tokens must not be negative, not " + chunkTokens);
    require(instances >= 1 && instances <= 3, "--instances must be 1 to 3 (the topics have 3 partitions), not " + instances);
    require(rounds >= 1, "--rounds must be at least 1, not " + rounds);
    require(!rebalance || instances >= 2, "a rebalance needs --instances of at least 2");
    Objects.requireNonNull(classpath, "classpath");
    Objects.requireNonNull(mainClass, "mainClass");
  }

  /** Instance counts measured, in table order. */
  List<Integer> counts() {
    return java.util.stream.IntStream.rangeClosed(1, instances).boxed().toList();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
