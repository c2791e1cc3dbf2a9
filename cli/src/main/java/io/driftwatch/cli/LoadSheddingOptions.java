package io.driftwatch.cli;

import io.driftwatch.streams.scoring.LoadShedding;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Load shedding of semantic scoring in a monitor ({@code run}, {@code demo}, {@code bench pipeline}; a picocli mixin). */
final class LoadSheddingOptions {

  @Option(names = "--no-load-shedding",
      description = "Give every generation semantic scores however far the model falls behind (by default, generations "
          + "starting while it is behind are scored without them, flagged semantic_shed: docs/scores.md, Load shedding).")
  boolean disabled;

  @Option(names = "--shed-above", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "5s",
      description = "Start shedding when the sentences waiting for the model would take longer than this to embed at "
          + "its measured rate (default: ${DEFAULT-VALUE}).")
  Duration shedAbove;

  @Option(names = "--shed-recover-below", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "1s",
      description = "Stop shedding once that backlog is below this (default: ${DEFAULT-VALUE}); less than --shed-above.")
  Duration recoverBelow;

  /** The semantic scoring with these options' load shedding; null stays null (no semantic scores). */
  SemanticScoring apply(SemanticScoring scoring) {
    if (scoring == null) {
      return null;
    }
    if (disabled) {
      return scoring.withShedding(null);
    }
    if (shedAbove.isZero() || shedAbove.isNegative() || recoverBelow.isNegative() || recoverBelow.compareTo(shedAbove) >= 0) {
      throw new UserFacingException("--shed-recover-below (" + recoverBelow + ") must be at least 0 and less than --shed-above ("
          + shedAbove + "), which must be positive");
    }
    return scoring.withShedding(new LoadShedding(shedAbove, recoverBelow, LoadShedding.DEFAULTS.interval()));
  }
}
