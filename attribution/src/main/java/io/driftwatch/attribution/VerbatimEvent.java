package io.driftwatch.attribution;

import java.util.List;

/**
 * Raised once per span, at the word that makes a matched span longer than
 * {@link MatchSettings#verbatimOver()}: the generation is copying a reference document.
 *
 * @param start position in the generation of the span's first word
 * @param length the span's length when the event was raised (it may grow further; its final extent comes
 *     with the {@link Span} when it closes)
 * @param occurrences how many times the span, at that length, occurs in the corpus
 * @param listed some of those occurrences; {@link #source()} is the first
 */
public record VerbatimEvent(int start, int length, long occurrences, List<Occurrence> listed) {

  public VerbatimEvent {
    listed = List.copyOf(listed);
  }

  /** Where the copied text comes from: a document and the word offset there of the span's first word. */
  public Occurrence source() {
    return listed.get(0);
  }
}
