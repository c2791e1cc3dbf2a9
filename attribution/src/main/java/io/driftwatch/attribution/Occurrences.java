package io.driftwatch.attribution;

import java.util.List;

/**
 * The occurrences of a phrase in an index: how many there are, and the first few of them.
 *
 * @param total number of occurrences in the whole corpus
 * @param listed at most the requested number of them: the first ones in suffix-array order (which is
 *     deterministic but follows the words after the phrase, not document order), then sorted by document
 *     and offset
 */
public record Occurrences(long total, List<Occurrence> listed) {

  public Occurrences {
    listed = List.copyOf(listed);
  }
}
