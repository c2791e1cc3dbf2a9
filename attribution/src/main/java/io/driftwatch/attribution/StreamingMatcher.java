package io.driftwatch.attribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Follows a generation word by word and tracks which of its spans occur verbatim in the index. One matcher
 * serves any number of generations and threads: it holds only the shared index and the settings, and
 * every generation's progress lives in its own {@link MatchState}.
 *
 * <h2>Effective n</h2>
 * For the word at position i the matcher keeps m<sub>i</sub>, the length of the longest run of words
 * ending at i that occurs in the corpus (the "effective n" of infini-gram), with the suffix-array range of
 * that run. Exactly, with W the {@linkplain MatchSettings#window() window}:
 * <ul>
 *   <li>if the previous match extended by the new word occurs, m<sub>i</sub> = m<sub>i-1</sub> + 1
 *       (found by narrowing the previous range with the new word: no re-search);
 *   <li>otherwise m<sub>i</sub> is the largest L &le; min(m<sub>i-1</sub>, W) such that the last L words
 *       occur, or 0: the match is shrunk from the left and re-searched, trying L = 1, 2, 4, ... until one
 *       fails and then bisecting, over the remembered tail of at most W words.
 * </ul>
 * Ranges of one word come from the index's word-start table and ranges of two words from its bigram
 * table, and the index's trigram filter rules out most three-word runs that do not occur with one read,
 * so the common short matches of fresh text cost a few lookups rather than binary searches.
 * So min(n<sub>i</sub>, W) &le; m<sub>i</sub> &le; n<sub>i</sub>, where n<sub>i</sub> is the true longest
 * match: exact whenever the true value is at most W. Beyond W a verbatim run keeps growing, but once it
 * breaks, the new match is looked for among the last W words only.
 *
 * <h2>Spans, coverage, sources</h2>
 * A span closes when the next word does not extend it (or the generation ends); if it has at least
 * {@link MatchSettings#minSpan()} words it goes to {@link MatchListener#span} with its occurrences and
 * adds its length to the source weights. The start i - m<sub>i</sub> + 1 never decreases, so for each L
 * the union of the intervals with m<sub>i</sub> &ge; L is counted with one pointer: O(1) per word and
 * length. See {@link AttributionSummary} for the figures derived from these.
 */
public final class StreamingMatcher {

  /**
   * Above this many suffixes a narrow costs more random reads than the one the trigram filter needs to
   * say whether the last three words can occur in a row at all (measured: asking it for smaller ranges
   * too slows copied text down more than it speeds fresh text up).
   */
  private static final int FILTER_MIN_RANGE = 16;

  private final AttributionIndex index;
  private final MatchSettings settings;

  public StreamingMatcher(AttributionIndex index, MatchSettings settings) {
    this.index = index;
    this.settings = settings;
  }

  public AttributionIndex index() {
    return index;
  }

  public MatchSettings settings() {
    return settings;
  }

  /** A fresh state for a new generation. */
  public MatchState start() {
    return new MatchState(index.id(), settings.window());
  }

  /**
   * Appends the next word of a generation, normalised as {@link WordTokenizer} or {@link WordStream}
   * give it; returns m<sub>i</sub>, the length of the match now ending at this word.
   */
  public int append(MatchState state, String word, MatchListener listener) {
    return appendId(state, index.wordId(word), listener);
  }

  /** {@link #append} with the word's id from {@link AttributionIndex#wordId}. */
  public int appendId(MatchState state, int word, MatchListener listener) {
    check(state);
    if (state.finished) {
      throw new IllegalStateException("generation already finished");
    }
    int i = state.words;
    int previous = state.matchLength;
    long extended = extend(state, i, previous, word);
    state.remember(i, word);
    state.words = i + 1;
    if (!Ranges.isEmpty(extended)) {
      state.matchLength = previous + 1;
      state.range = extended;
    } else {
      if (previous > 0) {
        close(state, i, listener);
      }
      reSearch(state, i, word < IndexFormat.FIRST_WORD ? 0 : Math.min(previous, state.window()));
      state.verbatimRaised = false;
    }
    int m = state.matchLength;
    if (m >= AttributionSummary.MIN_LENGTH) {
      cover(state, i, m);
    }
    state.longestSpan = Math.max(state.longestSpan, m);
    if (!state.verbatimRaised && m > settings.verbatimOver()) {
      state.verbatimRaised = true;
      Occurrences where = index.occurrences(state.range, settings.listedOccurrences());
      listener.verbatim(new VerbatimEvent(i - m + 1, m, where.total(), where.listed()));
    }
    return m;
  }

  /** Ends the generation: closes the last span. Appending afterwards is an error. */
  public void finish(MatchState state, MatchListener listener) {
    check(state);
    if (state.finished) {
      return;
    }
    if (state.matchLength > 0) {
      close(state, state.words, listener);
    }
    state.finished = true;
  }

  /** The figures so far; spans still open count for coverage but not yet for the sources. */
  public AttributionSummary summary(MatchState state) {
    List<Double> coverage = new ArrayList<>(MatchState.LENGTHS);
    double creativity = 0;
    for (int k = 0; k < MatchState.LENGTHS; k++) {
      double share = state.words == 0 ? Double.NaN : (double) state.covered[k] / state.words;
      coverage.add(share);
      creativity += 1 - share;
    }
    long total = state.pooledWeight;
    for (int s = 0; s < state.sourceCount; s++) {
      total += state.sourceWeights[s];
    }
    double entropy = 0;
    if (total > 0) {
      for (int s = 0; s < state.sourceCount; s++) {
        entropy -= plogp((double) state.sourceWeights[s] / total);
      }
      entropy -= plogp((double) state.pooledWeight / total);
    }
    return new AttributionSummary(state.words, state.spans, state.longestSpan, coverage, creativity,
        state.sourceCount, entropy, state.sourcesTruncated);
  }

  private static double plogp(double p) {
    return p <= 0 ? 0 : p * Math.log(p) / Math.log(2);
  }

  private void check(MatchState state) {
    if (state.indexId != index.id()) {
      throw new IllegalArgumentException("match state belongs to index " + Long.toHexString(state.indexId)
          + ", not " + Long.toHexString(index.id()) + "; restart the generation's attribution");
    }
    if (state.window() != settings.window()) {
      throw new IllegalArgumentException("match state has window " + state.window() + ", settings say "
          + settings.window());
    }
  }

  /**
   * After a break at position i: the largest L &le; bound such that the last L words occur, found by
   * doubling L from 1 until a length fails (so cost grows with the answer, not with the old match) and
   * then bisecting between the last success and the first failure. Valid because every suffix of an
   * occurring run occurs too.
   */
  private void reSearch(MatchState state, int i, int bound) {
    state.matchLength = 0;
    state.range = Ranges.EMPTY;
    if (bound == 0) {
      return;
    }
    long range = index.rangeOf(state.wordAt(i));
    if (Ranges.isEmpty(range)) {
      return;
    }
    int good = 1;
    long goodRange = range;
    int bad = bound + 1;
    // (bound <= window, so with bound >= 3 the ring holds the last three words.)
    if (bound >= 3 && !index.mayOccur(state.wordAt(i - 2), state.wordAt(i - 1), state.wordAt(i))) {
      // No run of three or more words ending here can occur: the answer is 1 or 2.
      bad = 3;
    }
    for (int length = 2; length < bad; length *= 2) {
      range = searchSuffix(state, i, length);
      if (Ranges.isEmpty(range)) {
        bad = length;
        break;
      }
      good = length;
      goodRange = range;
    }
    while (bad - good > 1) {
      int mid = (good + bad) >>> 1;
      range = searchSuffix(state, i, mid);
      if (Ranges.isEmpty(range)) {
        bad = mid;
      } else {
        good = mid;
        goodRange = range;
      }
    }
    state.matchLength = good;
    state.range = goodRange;
  }

  /** The range of the current match extended by {@code word}, at position i (not yet remembered). */
  private long extend(MatchState state, int i, int previous, int word) {
    if (word < IndexFormat.FIRST_WORD) {
      return Ranges.EMPTY;
    }
    if (previous == 0) {
      return index.rangeOf(word);
    }
    if (previous == 1) {
      // The range of a single word is its whole block: the bigram table is far quicker than narrowing it.
      return index.rangeOf(state.wordAt(i - 1), word);
    }
    if (Ranges.size(state.range) > FILTER_MIN_RANGE && state.window() >= 2
        && !index.mayOccur(state.wordAt(i - 2), state.wordAt(i - 1), word)) {
      // Three words that never occur in a row cannot end a longer match.
      return Ranges.EMPTY;
    }
    return index.narrow(state.range, previous, word);
  }

  /** The range of the last {@code length} words up to position i (length at least 2), searched from scratch. */
  private long searchSuffix(MatchState state, int i, int length) {
    int first = i - length + 1;
    long range = index.rangeOf(state.wordAt(first), state.wordAt(first + 1));
    for (int depth = 2; depth < length && !Ranges.isEmpty(range); depth++) {
      range = index.narrow(range, depth, state.wordAt(first + depth));
    }
    return range;
  }

  /** Adds the covered words of the interval [i - m + 1, i] at every L &le; m. */
  private static void cover(MatchState state, int i, int m) {
    int start = i - m + 1;
    int lengths = Math.min(m, AttributionSummary.MAX_LENGTH) - AttributionSummary.MIN_LENGTH + 1;
    for (int k = 0; k < lengths; k++) {
      int from = Math.max(start, state.coveredUpTo[k] + 1);
      state.covered[k] += i - from + 1;
      state.coveredUpTo[k] = i;
    }
  }

  /** Closes the current match, which ends just before position {@code end}. */
  private void close(MatchState state, int end, MatchListener listener) {
    int m = state.matchLength;
    if (m < settings.minSpan()) {
      return;
    }
    Occurrences where = index.occurrences(state.range, settings.listedOccurrences());
    state.spans++;
    addSources(state, m, where.listed());
    listener.span(new Span(end - m, end, where.total(), where.listed()));
  }

  private void addSources(MatchState state, int length, List<Occurrence> listed) {
    int[] distinct = listed.stream().mapToInt(Occurrence::document).distinct().toArray();
    long share = length * MatchState.WEIGHT_SCALE / distinct.length;
    for (int document : distinct) {
      addSource(state, document, share);
    }
  }

  private void addSource(MatchState state, int document, long weight) {
    for (int s = 0; s < state.sourceCount; s++) {
      if (state.sourceDocuments[s] == document) {
        state.sourceWeights[s] += weight;
        return;
      }
    }
    if (state.sourceCount == settings.maxSources()) {
      state.pooledWeight += weight;
      state.sourcesTruncated = true;
      return;
    }
    if (state.sourceCount == state.sourceDocuments.length) {
      int grown = Math.min(settings.maxSources(), Math.max(4, state.sourceCount * 2));
      state.sourceDocuments = Arrays.copyOf(state.sourceDocuments, grown);
      state.sourceWeights = Arrays.copyOf(state.sourceWeights, grown);
    }
    state.sourceDocuments[state.sourceCount] = document;
    state.sourceWeights[state.sourceCount] = weight;
    state.sourceCount++;
  }
}
