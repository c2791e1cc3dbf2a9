package io.driftwatch.attribution;

import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A read-only word-level suffix-array index over reference documents, memory-mapped from the directory an
 * {@link IndexBuilder} wrote. Opening maps the files and reads nothing else, so it is instant whatever the
 * size; pages load on demand and are shared by every thread and process that maps them. Thread-safe.
 *
 * <p>Phrases are arrays of word ids from {@link #wordId} (normalised words, see {@link WordTokenizer}).
 * A phrase never matches across two documents: a separator id follows every document.
 *
 * <p>The mappings are released when the object is garbage collected (Java 17 has no explicit unmapping).
 */
public final class AttributionIndex {

  /** The id of every word the index has never seen; such a word matches nothing. */
  public static final int UNKNOWN_WORD = IndexFormat.UNKNOWN;

  private final Path directory;
  private final IndexHeader header;
  private final MappedInts tokens;
  private final MappedInts suffixes;
  private final MappedInts wordStarts;
  private final BigramTable bigrams;
  private final TrigramFilter trigrams;
  private final Vocabulary vocabulary;
  private final DocumentTable documents;

  private AttributionIndex(Path directory, IndexHeader header, MappedInts tokens, MappedInts suffixes,
      MappedInts wordStarts, Vocabulary vocabulary, DocumentTable documents) throws IOException {
    this.directory = directory;
    this.header = header;
    this.tokens = tokens;
    this.suffixes = suffixes;
    this.wordStarts = wordStarts;
    this.bigrams = BigramTable.open(directory, header, wordStarts);
    this.trigrams = TrigramFilter.open(directory, header);
    this.vocabulary = vocabulary;
    this.documents = documents;
  }

  /** Maps the index in {@code directory}, checking its header and the length of every file. */
  public static AttributionIndex open(Path directory) throws IOException {
    IndexHeader header = IndexHeader.read(directory);
    if (header.tokenizerVersion() != WordTokenizer.VERSION) {
      throw new IOException(directory + ": built with tokenizer rules version " + header.tokenizerVersion()
          + ", this build applies version " + WordTokenizer.VERSION + "; rebuild the index");
    }
    return new AttributionIndex(directory, header,
        MappedInts.map(directory.resolve(IndexFormat.TOKENS), header.streamLength()),
        MappedInts.map(directory.resolve(IndexFormat.SUFFIX_ARRAY), header.streamLength()),
        MappedInts.map(directory.resolve(IndexFormat.WORD_STARTS), header.vocabulary() + 1L),
        Vocabulary.open(directory, header),
        DocumentTable.open(directory, header));
  }

  public Path directory() {
    return directory;
  }

  /** A fingerprint of the indexed content; equal for indexes built from the same documents in the same order. */
  public long id() {
    return header.id();
  }

  /** The number of words indexed. */
  public long tokens() {
    return header.words();
  }

  /** The number of distinct words. */
  public int vocabularySize() {
    return header.vocabulary() - IndexFormat.FIRST_WORD;
  }

  public int documentCount() {
    return documents.count();
  }

  public DocumentInfo document(int id) {
    return documents.info(id);
  }

  /** All documents, as a list read from the mapped table on access (nothing is copied up front). */
  public List<DocumentInfo> documents() {
    return new AbstractList<>() {
      @Override
      public DocumentInfo get(int index) {
        return documents.info(index);
      }

      @Override
      public int size() {
        return documents.count();
      }
    };
  }

  /** The id of a normalised word, or {@link #UNKNOWN_WORD}. */
  public int wordId(String normalisedWord) {
    return vocabulary.id(normalisedWord);
  }

  /** The word of an id (the empty string for {@link #UNKNOWN_WORD}). */
  public String word(int id) {
    return vocabulary.word(id);
  }

  /** The word ids of a text, tokenized with {@link WordTokenizer}. */
  public int[] wordIds(String text) {
    return WordTokenizer.words(text).stream().mapToInt(this::wordId).toArray();
  }

  /** How many times the phrase occurs in the corpus. */
  public long count(int[] phrase) {
    return Ranges.size(rangeOf(phrase, 0, phrase.length));
  }

  /** The length of the longest prefix of {@code phrase[from..]} that occurs in the corpus. */
  public int longestMatchAt(int[] phrase, int from) {
    if (from >= phrase.length) {
      return 0;
    }
    long range = rangeOf(phrase[from]);
    int length = 0;
    while (!Ranges.isEmpty(range)) {
      length++;
      if (from + length == phrase.length) {
        break;
      }
      range = length == 1 ? rangeOf(phrase[from], phrase[from + 1]) : narrow(range, length, phrase[from + length]);
    }
    return length;
  }

  /** The occurrences of a phrase: their total and the first {@code limit} of them. */
  public Occurrences locate(int[] phrase, int limit) {
    return occurrences(rangeOf(phrase, 0, phrase.length), limit);
  }

  // ---- Search primitives for the streaming matcher -------------------------------------------------

  /** The ranks of the suffixes that start with {@code phrase[from, to)}; the empty range if none do. */
  long rangeOf(int[] phrase, int from, int to) {
    if (from >= to) {
      throw new IllegalArgumentException("empty phrase");
    }
    if (to - from == 1) {
      return rangeOf(phrase[from]);
    }
    long range = rangeOf(phrase[from], phrase[from + 1]);
    for (int depth = 2; depth < to - from && !Ranges.isEmpty(range); depth++) {
      range = narrow(range, depth, phrase[from + depth]);
    }
    return range;
  }

  /** The ranks of the suffixes that start with {@code word}: a block recorded at build time. */
  long rangeOf(int word) {
    if (!isWord(word)) {
      return Ranges.EMPTY;
    }
    return Ranges.of(wordStarts.get(word), wordStarts.get(word + 1L));
  }

  /** The ranks of the suffixes that start with {@code first second}, from the bigram table. */
  long rangeOf(int first, int second) {
    if (!isWord(first) || !isWord(second)) {
      return Ranges.EMPTY;
    }
    return bigrams.rangeOf(first, second);
  }

  /** False if the three words never occur in a row (exact); true if they may (a Bloom filter's answer). */
  boolean mayOccur(int first, int second, int third) {
    return trigrams.mayOccur(first, second, third);
  }

  private boolean isWord(int id) {
    return id >= IndexFormat.FIRST_WORD && id < header.vocabulary();
  }

  /**
   * Narrows {@code range}, whose suffixes all start with the same {@code depth} words, to those whose next
   * word is {@code word}. Within the range the suffixes are sorted by that next word, so this is a binary
   * search for the start of the block, then a galloping search for its end (blocks are usually small, and
   * galloping reads ranks next to each other).
   */
  long narrow(long range, int depth, int word) {
    int lo = Ranges.lo(range);
    int hi = Ranges.hi(range);
    int end = hi;
    int a = lo;
    int b = hi;
    while (a < b) {
      int mid = (a + b) >>> 1;
      int next = nextWord(mid, depth);
      if (next < word) {
        a = mid + 1;
      } else {
        b = mid;
        if (next > word) {
          end = mid;
        }
      }
    }
    if (a >= end || nextWord(a, depth) != word) {
      return Ranges.EMPTY;
    }
    int known = a;
    int step = 1;
    while (known + step < end && nextWord(known + step, depth) == word) {
      known += step;
      step <<= 1;
    }
    int x = known + 1;
    int y = Math.min(known + step, end);
    while (x < y) {
      int mid = (x + y) >>> 1;
      if (nextWord(mid, depth) == word) {
        x = mid + 1;
      } else {
        y = mid;
      }
    }
    return Ranges.of(a, x);
  }

  /** The word {@code depth} positions into the suffix of rank {@code rank}. */
  private int nextWord(int rank, int depth) {
    // In range: every suffix narrowed this far starts with real words, and the stream ends with a separator.
    return tokens.get((long) suffixes.get(rank) + depth);
  }

  /** Total and first {@code limit} occurrences of the suffixes in {@code range}. */
  Occurrences occurrences(long range, int limit) {
    List<Occurrence> listed = new ArrayList<>();
    int lo = Ranges.lo(range);
    int last = (int) Math.min(Ranges.hi(range), (long) lo + limit);
    for (int rank = lo; rank < last; rank++) {
      int position = suffixes.get(rank);
      int document = documents.documentAt(position);
      listed.add(new Occurrence(document, documents.name(document), position - documents.firstToken(document)));
    }
    listed.sort(Comparator.comparingInt(Occurrence::document).thenComparingInt(Occurrence::offset));
    return new Occurrences(Ranges.size(range), listed);
  }
}
