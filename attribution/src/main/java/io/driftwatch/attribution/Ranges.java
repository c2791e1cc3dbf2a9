package io.driftwatch.attribution;

/**
 * A range {@code [lo, hi)} of suffix-array ranks packed into one long (lo in the high half), so the hot
 * matching loop allocates nothing. All suffixes in a range start with the same words. Zero is the empty
 * range.
 */
final class Ranges {

  static final long EMPTY = 0L;

  private Ranges() {}

  static long of(int lo, int hi) {
    return lo >= hi ? EMPTY : ((long) lo << 32) | hi;
  }

  static int lo(long range) {
    return (int) (range >>> 32);
  }

  static int hi(long range) {
    return (int) range;
  }

  static int size(long range) {
    return hi(range) - lo(range);
  }

  static boolean isEmpty(long range) {
    return range == EMPTY;
  }
}
