package io.driftwatch.attribution;

/** Told how an index build is going, so a command line can draw a progress bar. Called on the building thread. */
@FunctionalInterface
public interface BuildProgress {

  /** The stages of a build, in order. */
  enum Phase {
    /** Tokenizing documents; {@code done} counts words, {@code total} is unknown (-1). */
    READING,
    /** Building the suffix array; reported at its start (0 of 1) and end (1 of 1). */
    SORTING,
    /** Writing the suffix array and tables; {@code done} and {@code total} count int32 values. */
    WRITING
  }

  void update(Phase phase, long done, long total);

  BuildProgress NONE = (phase, done, total) -> { };
}
