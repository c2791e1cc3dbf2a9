package io.driftwatch.attribution;

import java.util.List;

/**
 * A maximal matched span: words {@code [start, end)} of the generation occur verbatim in the corpus, and
 * the span can be extended neither to the right (the next word breaks the match, or the generation ended)
 * nor to the left (it is the longest match ending at {@code end - 1}, within the matcher's window).
 *
 * @param start position of its first word in the generation, from 0
 * @param end position after its last word
 * @param occurrences how many times it occurs in the corpus
 * @param listed some of those occurrences (see {@link Occurrences#listed()})
 */
public record Span(int start, int end, long occurrences, List<Occurrence> listed) {

  public Span {
    listed = List.copyOf(listed);
  }

  public int length() {
    return end - start;
  }
}
