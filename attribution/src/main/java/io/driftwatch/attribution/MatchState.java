package io.driftwatch.attribution;

import java.util.Arrays;

/**
 * Everything the streaming matcher keeps for one generation between words: small, bounded, and
 * serialisable with {@link MatchStateCodec}. Plain data; the logic is in {@link StreamingMatcher}.
 *
 * <p>Contents: the index fingerprint it was built against; the number of words so far; the current match
 * (its length and its suffix-array range); the last {@code min(match length, window)} word ids, in a ring
 * indexed by word position; whether the current span has raised its verbatim event; per span length L =
 * 5..12 the covered-word count and the end of the last covered interval; the longest match and the span
 * count; and up to {@code maxSources} (document, weight) pairs plus a pooled weight for the rest.
 */
public final class MatchState {

  static final int LENGTHS = AttributionSummary.MAX_LENGTH - AttributionSummary.MIN_LENGTH + 1;
  /** Source weights are length x 60 / documents, exact for a span split among 1 to 5 documents. */
  static final long WEIGHT_SCALE = 60;

  final long indexId;
  final int[] ring;
  int words;
  int matchLength;
  long range = Ranges.EMPTY;
  boolean verbatimRaised;
  boolean finished;
  final int[] covered = new int[LENGTHS];
  final int[] coveredUpTo = new int[LENGTHS];
  int longestSpan;
  int spans;
  int sourceCount;
  int[] sourceDocuments = new int[0];
  long[] sourceWeights = new long[0];
  long pooledWeight;
  boolean sourcesTruncated;

  MatchState(long indexId, int window) {
    this.indexId = indexId;
    this.ring = new int[window];
    Arrays.fill(coveredUpTo, -1);
  }

  /** Words appended so far. */
  public int words() {
    return words;
  }

  /** The length of the current match: words ending at the last one that occur in the corpus. */
  public int matchLength() {
    return matchLength;
  }

  /** True once {@link StreamingMatcher#finish} has run. */
  public boolean finished() {
    return finished;
  }

  /** The window size this state was started with. */
  int window() {
    return ring.length;
  }

  /** How many words of the current match the ring holds. */
  int remembered() {
    return Math.min(matchLength, ring.length);
  }

  int wordAt(int position) {
    return ring[position % ring.length];
  }

  void remember(int position, int word) {
    ring[position % ring.length] = word;
  }
}
