package io.driftwatch.attribution;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A one-hash Bloom filter over the corpus's word triples (within documents): one random read says that
 * three given words never occur in a row, with no false "never". Streaming fresh text mostly tries to
 * extend two-word matches into three-word ones and fails; asking the filter first skips the binary search
 * through the suffix array (dozens of random reads) that would find nothing. A "maybe" (a real triple or a
 * false positive) falls through to the exact search, so results never depend on the filter.
 *
 * <p>File {@code trigram-filter.i32}: a power-of-two number of bits, four to eight per indexed word, in
 * int32 words (bit b is bit {@code b & 31} of word {@code b >>> 5}). With about as many distinct triples
 * as words, as in web text, one absent triple in eight to one in five still gets a "maybe"; a corpus
 * with much repetition, like the benchmark's, does far better.
 */
final class TrigramFilter {

  private static final int BITS_PER_WORD = 4;

  private final MappedInts words;
  private final long mask;

  private TrigramFilter(MappedInts words, long bits) {
    this.words = words;
    this.mask = bits - 1;
  }

  static TrigramFilter open(Path directory, IndexHeader header) throws IOException {
    return new TrigramFilter(MappedInts.map(directory.resolve(IndexFormat.TRIGRAM_FILTER), header.trigramFilterBits() >>> 5),
        header.trigramFilterBits());
  }

  /** False if the three words never occur in a row in any document; true if they may. */
  boolean mayOccur(int first, int second, int third) {
    long bit = hash(first, second, third) & mask;
    return (words.get(bit >>> 5) & (1 << (bit & 31))) != 0;
  }

  /** The filter's size in bits for a corpus of {@code words} words: a power of two, at least 1,024. */
  static long bitsFor(long words) {
    long wanted = Math.max(1024, words * BITS_PER_WORD);
    return Long.highestOneBit(wanted - 1) << 1;
  }

  /** Sets the bit of every triple of real words in the token stream; writes the file. */
  static void write(Path directory, int[] tokens, long bits) throws IOException {
    if (bits > (long) Integer.MAX_VALUE * 32) {
      throw new IOException("trigram filter too large");
    }
    int[] filter = new int[(int) (bits >>> 5)];
    long mask = bits - 1;
    for (int p = 0; p + 2 < tokens.length; p++) {
      int a = tokens[p];
      int b = tokens[p + 1];
      int c = tokens[p + 2];
      // Separator and end ids are below the first word id: no triple crosses a document boundary.
      if (a >= IndexFormat.FIRST_WORD && b >= IndexFormat.FIRST_WORD && c >= IndexFormat.FIRST_WORD) {
        long bit = hash(a, b, c) & mask;
        filter[(int) (bit >>> 5)] |= 1 << (bit & 31);
      }
    }
    IntFileWriter.writeAll(directory.resolve(IndexFormat.TRIGRAM_FILTER), filter);
  }

  private static long hash(int a, int b, int c) {
    long h = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL + c * 0x165667B19E3779F9L;
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 29);
  }
}
