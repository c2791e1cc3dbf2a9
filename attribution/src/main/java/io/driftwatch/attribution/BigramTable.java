package io.driftwatch.attribution;

import java.io.IOException;
import java.nio.file.Path;

/**
 * For every word, the distinct words that follow it in the corpus and where each such pair's block of
 * suffixes starts: a two-level shortcut into the suffix array. Without it, finding the suffixes that start
 * with two given words means a binary search over all suffixes starting with the first word, hundreds of
 * thousands of random reads apart for a frequent word; with it, a binary search over that word's few
 * thousand distinct successors in one small array. Streaming fresh text does this on most words, so the
 * table is what makes the matcher fast.
 *
 * <p>Files: {@code bigram-offsets.i32} (for word id w, entries {@code [offsets[w], offsets[w+1])}),
 * {@code bigram-next.i32} (the successor ids, ascending within a word) and {@code bigram-starts.i32} (the
 * first suffix-array rank of each pair). A pair's block ends where the next pair's starts, or where the
 * first word's block ends. Pairs ending in a separator are left out: no query contains one.
 */
final class BigramTable {

  private final MappedInts offsets;
  private final MappedInts next;
  private final MappedInts starts;
  private final MappedInts wordStarts;

  private BigramTable(MappedInts offsets, MappedInts next, MappedInts starts, MappedInts wordStarts) {
    this.offsets = offsets;
    this.next = next;
    this.starts = starts;
    this.wordStarts = wordStarts;
  }

  static BigramTable open(Path directory, IndexHeader header, MappedInts wordStarts) throws IOException {
    return new BigramTable(
        MappedInts.map(directory.resolve(IndexFormat.BIGRAM_OFFSETS), header.vocabulary() + 1L),
        MappedInts.map(directory.resolve(IndexFormat.BIGRAM_NEXT), header.bigrams()),
        MappedInts.map(directory.resolve(IndexFormat.BIGRAM_STARTS), header.bigrams()),
        wordStarts);
  }

  /** The suffix-array ranks of the suffixes starting with {@code first second}; both must be real word ids. */
  long rangeOf(int first, int second) {
    int lo = offsets.get(first);
    int end = offsets.get(first + 1L);
    int hi = end - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int word = next.get(mid);
      if (word < second) {
        lo = mid + 1;
      } else if (word > second) {
        hi = mid - 1;
      } else {
        int blockEnd = mid + 1 < end ? starts.get(mid + 1L) : wordStarts.get(first + 1L);
        return Ranges.of(starts.get(mid), blockEnd);
      }
    }
    return Ranges.EMPTY;
  }

  /**
   * Writes the three files from the token stream and its suffix array (still in memory at build time);
   * returns the number of pairs.
   */
  static int write(Path directory, int[] tokens, int[] suffixArray, int[] wordStarts) throws IOException {
    int vocabulary = wordStarts.length - 1;
    int[] offsets = new int[vocabulary + 1];
    int pairs = 0;
    try (IntFileWriter nextOut = new IntFileWriter(directory.resolve(IndexFormat.BIGRAM_NEXT));
        IntFileWriter startsOut = new IntFileWriter(directory.resolve(IndexFormat.BIGRAM_STARTS))) {
      for (int word = 0; word < vocabulary; word++) {
        offsets[word] = pairs;
        if (word < IndexFormat.FIRST_WORD) {
          continue;
        }
        int previous = -1;
        for (int rank = wordStarts[word]; rank < wordStarts[word + 1]; rank++) {
          int following = tokens[suffixArray[rank] + 1];
          if (following != previous && following >= IndexFormat.FIRST_WORD) {
            nextOut.write(following);
            startsOut.write(rank);
            pairs++;
          }
          previous = following;
        }
      }
      offsets[vocabulary] = pairs;
    }
    IntFileWriter.writeAll(directory.resolve(IndexFormat.BIGRAM_OFFSETS), offsets);
    return pairs;
  }
}
