package io.driftwatch.benchmarks;

import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.engine.GenerationState;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.engine.StateCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The state codec's cost in CPU time of the measuring thread, on the states of {@link StateCodecBenchmark}. On a machine shared with other work, wall-clock benchmarks measure the
 * neighbours too; thread CPU time does not (it still includes cache and frequency effects). Prints the
 * median of rounds after warm-up rounds:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.driftwatch.benchmarks.StateCodecCpuTime [rounds]</pre>
 */
public final class StateCodecCpuTime {

  private static final int OPS = 20_000;

  private StateCodecCpuTime() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Path dir = Workload.tempDir();
    try {
      AttributionScoring attribution = new AttributionScoring(new StreamingMatcher(Workload.referenceIndex(dir), MatchSettings.DEFAULTS));
      System.out.printf(Locale.ROOT, "%-12s %8s %14s %14s%n", "state", "bytes", "encode ns", "decode ns");
      for (String name : new String[] {"lexical", "attribution", "semantic"}) {
        ScoringEngine engine = switch (name) {
          case "lexical" -> new ScoringEngine(ScoringSettings.DEFAULTS);
          case "attribution" -> new ScoringEngine(ScoringSettings.DEFAULTS, false, attribution);
          default -> new ScoringEngine(ScoringSettings.DEFAULTS, true);
        };
        GenerationState state = StateCodecBenchmark.typicalState(engine,
            name.equals("attribution") ? Scenario.VERBATIM_COPY : Scenario.TOPIC_DRIFT);
        byte[] binary = StateCodec.encode(state);
        long[][] ns = new long[2][rounds];
        long sink = 0;
        for (int r = -3; r < rounds; r++) {
          long t0 = threads.getCurrentThreadCpuTime();
          for (int i = 0; i < OPS; i++) {
            sink += StateCodec.encode(state).length;
          }
          long t1 = threads.getCurrentThreadCpuTime();
          for (int i = 0; i < OPS; i++) {
            sink += StateCodec.decode(binary).tokens();
          }
          long t2 = threads.getCurrentThreadCpuTime();
          if (r >= 0) {
            ns[0][r] = (t1 - t0) / OPS;
            ns[1][r] = (t2 - t1) / OPS;
          }
        }
        System.out.printf(Locale.ROOT, "%-12s %,8d %,14d %,14d%s%n", name, binary.length, median(ns[0]), median(ns[1]),
            sink == 42 ? " " : "");
      }
    } finally {
      Workload.delete(dir);
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
