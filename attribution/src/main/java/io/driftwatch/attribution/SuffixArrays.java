package io.driftwatch.attribution;

import java.util.Arrays;

/**
 * Suffix array construction by induced sorting (SA-IS: Nong, Zhang and Chan, "Two Efficient Algorithms for
 * Linear Time Suffix Array Construction", 2011). Linear time whatever the input, which matters here: a
 * corpus of books repeated with shuffled sentences is full of long repeats, on which comparison sorting of
 * suffixes degrades towards quadratic.
 *
 * <p>Memory: the output array, one bit per symbol for the suffix types, and one bucket array per
 * recursion level (the alphabet at the top; at most half the input length below). The reduced problem
 * lives inside the output array, as in the reference implementation.
 *
 * <p>Public for other modules' synthetic language models (the radius probe's test server counts
 * n-grams over a book with it); the index itself is built by {@link IndexBuilder}.
 */
public final class SuffixArrays {

  private SuffixArrays() {}

  /**
   * The suffix array of {@code text}: the start positions of its suffixes in lexicographic order.
   *
   * @param text symbols in {@code [0, alphabet)}; the last must be 0 and 0 must occur nowhere else (the
   *     sentinel that ends every suffix comparison)
   */
  public static int[] build(int[] text, int alphabet) {
    int n = text.length;
    if (n == 0 || text[n - 1] != 0) {
      throw new IllegalArgumentException("text must end with the sentinel 0");
    }
    int[] sa = new int[n];
    if (n > 1) {
      sais(text, 0, sa, n, alphabet);
    }
    return sa;
  }

  /** Sorts the suffixes of {@code s[off, off + n)} into {@code sa[0, n)}. */
  private static void sais(int[] s, int off, int[] sa, int n, int alphabet) {
    // Suffix types: S if smaller than the next suffix, L if larger. The sentinel is S, the one before it L.
    long[] sType = new long[(n >>> 6) + 1];
    set(sType, n - 1);
    for (int i = n - 3; i >= 0; i--) {
      int a = s[off + i];
      int b = s[off + i + 1];
      if (a < b || (a == b && get(sType, i + 1))) {
        set(sType, i);
      }
    }

    // Stage 1: sort the LMS substrings by induction from their unsorted positions.
    int[] bucket = new int[alphabet];
    bucketEnds(s, off, n, bucket);
    Arrays.fill(sa, 0, n, -1);
    for (int i = 1; i < n; i++) {
      if (isLms(sType, i)) {
        sa[--bucket[s[off + i]]] = i;
      }
    }
    induceL(sType, sa, s, off, n, bucket);
    induceS(sType, sa, s, off, n, bucket);

    // Compact the sorted LMS positions to the front, then name them: equal substrings, equal names.
    int n1 = 0;
    for (int i = 0; i < n; i++) {
      if (isLms(sType, sa[i])) {
        sa[n1++] = sa[i];
      }
    }
    Arrays.fill(sa, n1, n, -1);
    int names = 0;
    int previous = -1;
    for (int i = 0; i < n1; i++) {
      int pos = sa[i];
      boolean differs = false;
      for (int d = 0; d < n; d++) {
        if (previous == -1 || s[off + pos + d] != s[off + previous + d]
            || get(sType, pos + d) != get(sType, previous + d)) {
          differs = true;
          break;
        }
        if (d > 0 && (isLms(sType, pos + d) || isLms(sType, previous + d))) {
          break;
        }
      }
      if (differs) {
        names++;
        previous = pos;
      }
      // LMS positions are at least two apart, so pos / 2 is a collision-free slot.
      sa[n1 + (pos >>> 1)] = names - 1;
    }
    for (int i = n - 1, j = n - 1; i >= n1; i--) {
      if (sa[i] >= 0) {
        sa[j--] = sa[i];
      }
    }

    // Stage 2: the reduced string (names in text order) sits at the end of sa; sort its suffixes.
    int reducedOff = n - n1;
    if (names < n1) {
      sais(sa, reducedOff, sa, n1, names);
    } else {
      for (int i = 0; i < n1; i++) {
        sa[sa[reducedOff + i]] = i;
      }
    }

    // Stage 3: place the LMS suffixes in their final order, then induce all the others from them.
    bucketEnds(s, off, n, bucket);
    for (int i = 1, j = 0; i < n; i++) {
      if (isLms(sType, i)) {
        sa[reducedOff + j++] = i;
      }
    }
    for (int i = 0; i < n1; i++) {
      sa[i] = sa[reducedOff + sa[i]];
    }
    Arrays.fill(sa, n1, n, -1);
    for (int i = n1 - 1; i >= 0; i--) {
      int j = sa[i];
      sa[i] = -1;
      sa[--bucket[s[off + j]]] = j;
    }
    induceL(sType, sa, s, off, n, bucket);
    induceS(sType, sa, s, off, n, bucket);
  }

  private static void induceL(long[] sType, int[] sa, int[] s, int off, int n, int[] bucket) {
    bucketStarts(s, off, n, bucket);
    for (int i = 0; i < n; i++) {
      int j = sa[i] - 1;
      if (j >= 0 && !get(sType, j)) {
        sa[bucket[s[off + j]]++] = j;
      }
    }
  }

  private static void induceS(long[] sType, int[] sa, int[] s, int off, int n, int[] bucket) {
    bucketEnds(s, off, n, bucket);
    for (int i = n - 1; i >= 0; i--) {
      int j = sa[i] - 1;
      if (j >= 0 && get(sType, j)) {
        sa[--bucket[s[off + j]]] = j;
      }
    }
  }

  private static void bucketStarts(int[] s, int off, int n, int[] bucket) {
    countSymbols(s, off, n, bucket);
    int sum = 0;
    for (int c = 0; c < bucket.length; c++) {
      int size = bucket[c];
      bucket[c] = sum;
      sum += size;
    }
  }

  private static void bucketEnds(int[] s, int off, int n, int[] bucket) {
    countSymbols(s, off, n, bucket);
    int sum = 0;
    for (int c = 0; c < bucket.length; c++) {
      sum += bucket[c];
      bucket[c] = sum;
    }
  }

  private static void countSymbols(int[] s, int off, int n, int[] bucket) {
    Arrays.fill(bucket, 0);
    for (int i = 0; i < n; i++) {
      bucket[s[off + i]]++;
    }
  }

  /** Leftmost S-type: an S-type suffix whose left neighbour is L-type. */
  private static boolean isLms(long[] sType, int i) {
    return i > 0 && get(sType, i) && !get(sType, i - 1);
  }

  private static boolean get(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  private static void set(long[] bits, int i) {
    bits[i >>> 6] |= 1L << i;
  }
}
