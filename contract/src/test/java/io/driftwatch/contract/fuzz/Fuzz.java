package io.driftwatch.contract.fuzz;

import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Runs seeded fuzz cases. Each case derives all its randomness from one {@code long} (a
 * {@link java.util.Random} seeded with it), so a failure names the case seed and nothing else is
 * needed to replay it.
 *
 * <ul>
 *   <li>{@code -Dfuzz.seed=N} runs only case N (to replay a failure);</li>
 *   <li>{@code -Dfuzz.salt=N} draws other case seeds (to explore beyond the fixed ones a build runs);</li>
 *   <li>{@code -Dfuzz.scale=F} multiplies the number of cases (say 10 for a longer hunt).</li>
 * </ul>
 * Without them a build runs the same cases every time.
 */
public final class Fuzz {

  private Fuzz() {}

  /**
   * Runs {@code cases} cases of {@code check}, each with its own seed drawn from {@code base}; fails on
   * the first case that throws anything, with its seed and how to replay it.
   */
  public static void run(String name, long base, int cases, LongConsumer check) {
    Long only = Long.getLong("fuzz.seed");
    if (only != null) {
      runOne(name, only, check);
      return;
    }
    long salt = Long.getLong("fuzz.salt", 0L);
    double scale = Double.parseDouble(System.getProperty("fuzz.scale", "1"));
    SplittableRandom seeds = new SplittableRandom(base ^ salt);
    int n = Math.max(1, (int) Math.round(cases * scale));
    for (int i = 0; i < n; i++) {
      runOne(name, seeds.nextLong(), check);
    }
  }

  private static void runOne(String name, long seed, LongConsumer check) {
    try {
      check.accept(seed);
    } catch (Throwable t) {
      AssertionError failure = new AssertionError(name + " failed on case seed " + seed
          + " (replay: -Dfuzz.seed=" + seed + " -Dtest=<this test>): " + t, t);
      System.err.println(failure.getMessage());
      throw failure;
    }
  }
}
