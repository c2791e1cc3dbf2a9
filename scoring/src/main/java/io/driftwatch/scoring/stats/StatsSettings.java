package io.driftwatch.scoring.stats;

/**
 * Settings of the per-generation statistics.
 *
 * @param window how many recent tokens the rolling repetition rate looks at
 * @param ngram the n-gram length whose repeats count as repetition
 * @param emitEvery a window score record after every this many tokens
 */
public record StatsSettings(int window, int ngram, int emitEvery) {

  public static final StatsSettings DEFAULTS = new StatsSettings(64, 3, 32);

  public StatsSettings {
    if (window < 1 || ngram < 1 || ngram > window || emitEvery < 1) {
      throw new IllegalArgumentException(
          "need window >= ngram >= 1 and emitEvery >= 1, got window=" + window + " ngram=" + ngram + " emitEvery=" + emitEvery);
    }
  }
}
