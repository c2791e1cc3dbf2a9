package io.driftwatch.attribution;

import java.util.List;

/**
 * A generation's attribution so far.
 *
 * @param words words appended
 * @param spans maximal spans of at least {@link MatchSettings#minSpan()} words closed so far
 * @param longestSpan the longest verbatim match seen, in words
 * @param coverage for L = 5..12 in order ({@link #coverage(int)}): the share of the words that lie inside
 *     some matched span of at least L words; NaN when there are no words
 * @param creativityIndex the sum over L = 5..12 of {@code 1 - coverage(L)}, the CREATIVITY INDEX of Lu et
 *     al. 2024 with exact matching: 0 when every word is inside a 12-word match, 8 when no 5 consecutive
 *     words occur in the corpus; NaN when there are no words
 * @param sourceDocuments distinct documents among the listed occurrences of the closed spans
 * @param sourceEntropyBits Shannon entropy, in bits, of the documents' shares of the closed spans: each span
 *     gives its length, split equally among the distinct documents of its listed occurrences; 0 for a
 *     single source (copying), higher for a mosaic of many; 0 when there is no span
 * @param sourcesTruncated true when more than {@link MatchSettings#maxSources()} documents were seen: the
 *     weight of the extra ones is pooled as one outcome, so the entropy is a lower bound and
 *     {@code sourceDocuments} counts the tracked ones only
 */
public record AttributionSummary(int words, int spans, int longestSpan, List<Double> coverage,
    double creativityIndex, int sourceDocuments, double sourceEntropyBits, boolean sourcesTruncated) {

  /** The shortest span length with a coverage figure. */
  public static final int MIN_LENGTH = 5;
  /** The longest span length with a coverage figure. */
  public static final int MAX_LENGTH = 12;

  public AttributionSummary {
    coverage = List.copyOf(coverage);
  }

  /** The share of the words inside a matched span of at least {@code length} words (5 to 12). */
  public double coverage(int length) {
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw new IllegalArgumentException("coverage is kept for lengths " + MIN_LENGTH + " to " + MAX_LENGTH);
    }
    return coverage.get(length - MIN_LENGTH);
  }
}
