package io.driftwatch.attribution;

/** Receives what the streaming matcher finds, synchronously, from {@code append} and {@code finish}. */
public interface MatchListener {

  /** A maximal span of at least {@link MatchSettings#minSpan()} words has closed. */
  default void span(Span span) {}

  /** A span has just grown longer than {@link MatchSettings#verbatimOver()} words. */
  default void verbatim(VerbatimEvent event) {}

  MatchListener NONE = new MatchListener() {};
}
