package io.driftwatch.scoring.degeneration;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.driftwatch.scoring.text.Words;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * Degeneration: repeated n-grams and loops, over normalised tokens (case and surrounding whitespace
 * ignored).
 *
 * <p><b>Repetition rate</b>: {@link RepetitionRate} over the last {@code repetitionWindow} tokens.
 * <p><b>Loops</b>: for every period p up to {@code maxPeriod} it keeps run[p], the number of consecutive
 * latest positions i where token i equals token i − p. A span of p tokens that has just been said r
 * times in a row gives run[p] ≥ p·(r − 1). The loop reading is the smallest period with at least one
 * full repetition (run[p] ≥ p) and {@code repeats = 1 + run[p] / p}, updated in O(maxPeriod) per token.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Degeneration {

  /** Latest tokens, oldest first; holds max(repetitionWindow, maxPeriod) of them. */
  private ArrayDeque<String> recent = new ArrayDeque<>();
  /** run[p] for p = 1..maxPeriod (index 0 unused). */
  private int[] runs = new int[0];
  /**
   * {@link #recent} again, as a ring with the hash code of each token beside it, the newest at index
   * {@link #newest}: the loop check compares the new token with one earlier token per period, up to 96
   * per token, and needs them by position, which a deque does not give; ints side by side are also
   * cheaper to compare than strings scattered over the heap (measured: docs/benchmarks.md). Derived
   * from {@link #recent}, so never stored: rebuilt when missing (after a decode). Strings are compared
   * where hashes agree, so a collision cannot make a repeat.
   */
  private transient int[] hashes;
  private transient String[] ring;
  private transient int newest;

  /** A loop: a span of {@code period} tokens said {@code repeats} times in a row (repeats ≥ 2). */
  public record Loop(int period, double repeats) {
    public static final Loop NONE = new Loop(0, 1.0);
  }

  public void observe(String token, int repetitionWindow, int maxPeriod) {
    String t = normalise(token);
    int hash = t.hashCode();
    if (runs.length != maxPeriod + 1) {
      runs = new int[maxPeriod + 1];
    }
    int capacity = Math.max(repetitionWindow, maxPeriod);
    syncRing(capacity);
    int held = recent.size();
    // Compare the new token with the one p positions back, for every p: hashes first, strings only
    // where the hashes agree.
    int at = newest + 1; // the ring index of the token p back, stepped down without a division
    for (int p = 1; p <= maxPeriod; p++) {
      at = at == 0 ? capacity - 1 : at - 1;
      runs[p] = p <= held && hashes[at] == hash && ring[at].equals(t) ? runs[p] + 1 : 0;
    }
    recent.addLast(t);
    newest = newest + 1 == capacity ? 0 : newest + 1;
    hashes[newest] = hash;
    ring[newest] = t;
    while (recent.size() > capacity) {
      recent.removeFirst();
    }
  }

  /** Builds the ring from {@link #recent} when it is missing or sized for other settings. */
  private void syncRing(int capacity) {
    if (ring != null && ring.length == capacity) {
      return;
    }
    while (recent.size() > capacity) {
      recent.removeFirst();
    }
    hashes = new int[capacity];
    ring = new String[capacity];
    newest = capacity - 1;
    for (String earlier : recent) {
      newest = newest + 1 == capacity ? 0 : newest + 1;
      hashes[newest] = earlier.hashCode();
      ring[newest] = earlier;
    }
  }

  public double repetitionRate(int repetitionWindow, int ngram) {
    List<String> all = new ArrayList<>(recent);
    return RepetitionRate.of(all.subList(Math.max(0, all.size() - repetitionWindow), all.size()), ngram);
  }

  public Loop loop(int minLoopTokens) {
    for (int p = 1; p < runs.length; p++) {
      if (runs[p] >= p && runs[p] + p >= minLoopTokens) {
        return new Loop(p, 1.0 + (double) runs[p] / p);
      }
    }
    return Loop.NONE;
  }

  /**
   * Longest normalised token kept for comparison, in characters. A longer one is kept as its first
   * characters, its length and its hash, so that the state holds {@code max(repetitionWindow,
   * maxLoopPeriod)} short strings however long the tokens (up to 65,536 characters each), while two
   * different giant tokens still differ (but for a hash collision, which could only add a repeat).
   */
  static final int MAX_TOKEN_CHARS = 48;

  static String normalise(String token) {
    String t = token.strip().toLowerCase(Locale.ROOT);
    if (t.length() <= MAX_TOKEN_CHARS) {
      return t;
    }
    return Words.cut(t, 32) + "…" + Integer.toHexString(t.hashCode()) + "/" + t.length();
  }
}
