package io.driftwatch.cli;

import io.driftwatch.benchmarks.scale.ScaleOutBenchmark;
import io.driftwatch.benchmarks.scale.ScalePlan;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftwatch bench scale}: reads the options and runs the benchmarks module's {@link ScaleOutBenchmark}. */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Scale-out of the monitor: 1 to N instances of `driftwatch run` (lexical and loop scores, no model), each a JVM of its "
          + "own limited to one processor and pinned to a core of its own, against an embedded 3-node Kafka cluster "
          + "(3 partitions, replication 3). Prints the catch-up throughput in total, per instance and as a ratio to one "
          + "instance measured in the same run.",
      "Unless --no-rebalance, a last run kills one instance when a third of the generations are closed and "
          + "starts a fresh one at two thirds, then checks every score record against the offline scorer's: none "
          + "missing, none doubled.",
      ""})
final class ScaleBench implements Callable<Integer> {

  @Option(names = "--generations", paramLabel = "N", defaultValue = "600", description = "Generations (default: ${DEFAULT-VALUE}).")
  int generations;

  @Option(names = "--tokens", paramLabel = "N", defaultValue = "480", description = "Tokens per generation (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--chunk-tokens", paramLabel = "N", defaultValue = "16",
      description = "Tokens per chunk event, as the SDK and the tap coalesce them; 0 for one record per token (default: ${DEFAULT-VALUE}).")
  int chunkTokens;

  @Option(names = "--instances", paramLabel = "N", defaultValue = "2",
      description = "The most instances run together; every count from 1 up is measured (1 to 3; default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "1", description = "Rounds of each count; medians are printed (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--no-pin", description = "Leave the instances to the scheduler instead of pinning each to a core of its own with taskset.")
  boolean noPin;

  @Option(names = "--no-rebalance", description = "Skip the run with an instance killed and a fresh one started mid-run.")
  boolean noRebalance;

  @Override
  public Integer call() throws Exception {
    ScalePlan plan;
    try {
      plan = new ScalePlan(generations, tokens, chunkTokens, instances, rounds, !noPin, !noRebalance,
          System.getProperty("java.class.path"), Driftwatch.class.getName());
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage());
    }
    if (!noPin && Binaries.find("taskset").isEmpty()) {
      throw new UserFacingException("pinning the instances to cores needs taskset (apt-get install util-linux); or run with --no-pin");
    }
    new ScaleOutBenchmark(plan, System.out).run();
    return 0;
  }
}
