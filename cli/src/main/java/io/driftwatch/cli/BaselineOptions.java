package io.driftwatch.cli;

import io.driftwatch.scoring.baseline.BaselineFile;
import io.driftwatch.scoring.baseline.BaselineSettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where each model's baseline comes from, for {@code run} and {@code score} (a picocli mixin; docs/scores.md, Baselines). */
final class BaselineOptions {

  @Option(names = "--baseline", paramLabel = "FILE",
      description = "Baselines made by 'driftwatch calibrate': the models in it are measured against them as they are; "
          + "other models learn their own.")
  Path file;

  @Option(names = "--baseline-warmup", paramLabel = "N", defaultValue = "" + BaselineSettings.DEFAULT_WARMUP,
      description = "A model's baseline is learned from its first N generations, then frozen; until then its records carry "
          + "no percentiles and percentile rules stay silent (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--baseline-run", paramLabel = "RUN",
      description = "Learn baselines only from the generations of this run (a named baseline run), which go on teaching it.")
  String run;

  BaselineSettings settings() {
    try {
      return new BaselineSettings(warmup, run, file == null ? Map.of() : BaselineFile.read(file));
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage());
    }
  }
}
