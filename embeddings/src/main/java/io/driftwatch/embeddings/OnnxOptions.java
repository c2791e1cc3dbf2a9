package io.driftwatch.embeddings;

import java.util.Locale;
import java.util.Set;

/**
 * The ONNX Runtime session options a model runs with, as DJL's ONNX Runtime engine takes them.
 *
 * @param intraOpThreads threads one operator runs on; 0 for ONNX Runtime's default (one per core)
 * @param interOpThreads threads independent operators run on in parallel execution; 0 for the default
 * @param optLevel graph optimisation: {@code NO_OPT}, {@code BASIC_OPT}, {@code EXTENDED_OPT} or {@code ALL_OPT}
 * @param executionMode {@code SEQUENTIAL} (operators one after the other) or {@code PARALLEL}
 */
public record OnnxOptions(int intraOpThreads, int interOpThreads, String optLevel, String executionMode) {

  static final Set<String> OPT_LEVELS = Set.of("NO_OPT", "BASIC_OPT", "EXTENDED_OPT", "ALL_OPT");
  static final Set<String> EXECUTION_MODES = Set.of("SEQUENTIAL", "PARALLEL");

  /** ONNX Runtime's own defaults. */
  public static final OnnxOptions DEFAULTS = new OnnxOptions(0, 0, "ALL_OPT", "SEQUENTIAL");

  public OnnxOptions {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be 0 (the default) or more, got intra-op " + intraOpThreads
          + " and inter-op " + interOpThreads);
    }
    optLevel = optLevel.toUpperCase(Locale.ROOT);
    executionMode = executionMode.toUpperCase(Locale.ROOT);
    if (!OPT_LEVELS.contains(optLevel)) {
      throw new IllegalArgumentException("optimisation level must be one of " + OPT_LEVELS + ", got " + optLevel);
    }
    if (!EXECUTION_MODES.contains(executionMode)) {
      throw new IllegalArgumentException("execution mode must be one of " + EXECUTION_MODES + ", got " + executionMode);
    }
  }

  public OnnxOptions withIntraOpThreads(int threads) {
    return new OnnxOptions(threads, interOpThreads, optLevel, executionMode);
  }

  public OnnxOptions withOptLevel(String level) {
    return new OnnxOptions(intraOpThreads, interOpThreads, level, executionMode);
  }

  public OnnxOptions withExecutionMode(String mode) {
    return new OnnxOptions(intraOpThreads, interOpThreads, optLevel, mode);
  }

  /** How these options read in a log line. */
  public String describe() {
    String threads = intraOpThreads == 0 ? "a thread per core" : intraOpThreads == 1 ? "1 thread" : intraOpThreads + " threads";
    return this.equals(DEFAULTS.withIntraOpThreads(intraOpThreads)) ? threads
        : threads + ", " + optLevel + ", " + executionMode + (interOpThreads > 0 ? ", " + interOpThreads + " inter-op threads" : "");
  }
}
