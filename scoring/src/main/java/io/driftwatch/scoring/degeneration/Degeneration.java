package io.driftwatch.scoring.degeneration;

import io.driftwatch.scoring.state.EncodedStrings;
import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import io.driftwatch.scoring.text.Words;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Degeneration: repeated n-grams and loops, over normalised tokens (case and surrounding whitespace
 * ignored).
 *
 * <p><b>Repetition rate</b>: {@link RepetitionRate} over the last {@code repetitionWindow} tokens.
 * <p><b>Loops</b>: for every period p up to {@code maxPeriod} it keeps run[p], the number of consecutive
 * latest positions i where token i equals token i − p (or both are counts and token i is one more). A
 * span of p tokens that has just been said r times in a row gives run[p] ≥ p·(r − 1) ({@link #runLoop}).
 * A token extends only the runs of the periods at which it equals an earlier token, found through a
 * chain of earlier tokens with similar hashes; every other run ends without being touched (see
 * {@link #runBounds}). Loops with small edits break such runs; they are read from
 * the ring of recent tokens when the reading is asked for, once per sentence ({@link #nearLoop}). The
 * loop reading is the stronger of the two ({@link #loop}).
 */
public final class Degeneration {

  /** How many of the latest tokens the ring holds: at most {@link #capacity} of them. */
  private int held;
  /** The tokens read by {@link #readFrom}, oldest first, until the ring is built from them; else null. */
  private List<String> decoded;
  /**
   * run[p] for p = 1..maxPeriod (index 0 unused), kept as the positions where the latest run of matches
   * at period p began ({@code [2p]}) and ended ({@code [2p + 1]}): run[p] is {@code position − begin + 1}
   * when that run ended at the newest token, else 0. A token then writes only the periods it matches,
   * instead of all of them: comparing it with the token p back for every p cost most of the per-token
   * work on states that a busy task's other generations had pushed out of the cache (measured:
   * docs/benchmarks.md); a period's two positions share a cache line. Positions count tokens and may
   * wrap; they are only compared for equality and subtracted.
   */
  private int[] runBounds = new int[0];
  /** The position of the newest token. */
  private int position;
  /**
   * Per ring slot, how many tokens back the previous token of the same hash bucket is (0 for none); per
   * bucket, the ring slot of its latest token (-1 for none). Following them from a new token's bucket
   * finds every earlier token that may equal it, nearest first. Derived like {@link #hashes}.
   */
  private int[] previousInBucket;
  private int[] latestInBucket;

  private static final int BUCKETS = 64;
  /**
   * The latest tokens as a ring, the newest at index {@link #newest}, with the hash code of each token
   * beside it: the bucket chains, the counts and the near-loop reading find tokens by how far back they
   * are, and ints side by side are cheaper to compare than strings scattered over the heap. Only the
   * tokens are stored; the ring is built from them at the first token or reading after a decode.
   * Strings are compared where hashes agree, so a collision cannot make a repeat.
   */
  private int[] hashes;
  private String[] ring;
  /** The value of each ring token that is a count ({@link #count}), else -1; derived like {@link #hashes}. */
  private int[] counts;
  /**
   * Whether each ring token is a word ({@link #isWord}); derived like {@link #hashes}. The loop reading
   * asks it of every token held, at every sentence, so it is found once per token instead.
   */
  private boolean[] wordAt;
  private int newest;

  /**
   * The tokens held, as the state writes them, kept as the tokens come and go: the tokens are most of the
   * state and few of them change between two commits, which write the state each time (measured:
   * docs/benchmarks.md). Null after a decode until the state is written again.
   */
  private EncodedStrings encodedRecent = new EncodedStrings();

  /** Writes the recent tokens and the runs; the ring is derived from the tokens, so it is rebuilt instead. */
  public void writeTo(StateOutput out) {
    if (encodedRecent == null) {
      encodedRecent = new EncodedStrings();
      heldTokens().forEach(encodedRecent::addLast);
    }
    encodedRecent.writeTo(out);
    out.varint(periods());
    for (int p = 0; p < periods(); p++) {
      out.signed(run(p));
    }
  }

  /** A scorer in the state that {@link #writeTo} wrote; its ring is rebuilt at the first token or reading. */
  public static Degeneration readFrom(StateInput in) {
    Degeneration d = new Degeneration();
    d.decoded = new ArrayList<>();
    in.strings(d.decoded);
    d.held = d.decoded.size();
    d.encodedRecent = null;
    int periods = in.count();
    d.resetRuns(periods);
    for (int p = 0; p < periods; p++) {
      int run = in.signedInt();
      if (run > 0) {
        d.runBounds[2 * p] = d.position - run + 1;
        d.runBounds[2 * p + 1] = d.position;
      }
    }
    return d;
  }

  /** A loop: a span of {@code period} tokens said {@code repeats} times in a row (repeats ≥ 2). */
  public record Loop(int period, double repeats) {
    public static final Loop NONE = new Loop(0, 1.0);
  }

  public void observe(String token, int repetitionWindow, int maxPeriod) {
    String t = normalise(token);
    int hash = t.hashCode();
    int count = count(t);
    boolean word = isWord(t);
    if (periods() != maxPeriod + 1) {
      resetRuns(maxPeriod + 1);
    }
    int capacity = capacity(repetitionWindow, maxPeriod);
    syncRing(capacity);
    int i = position + 1;
    // The earlier tokens equal to this one, nearest first, through its bucket's chain; the chain holds
    // every token of the bucket, so strings are compared where the hashes agree (a collision cannot
    // make a repeat). The token is then held as the same string as the nearest equal one, so that equal
    // tokens in the ring are one string: comparing them is comparing references, without reading
    // strings scattered over the heap.
    int bucket = bucket(hash);
    int slot = latestInBucket[bucket];
    if (slot >= 0 && bucket(hashes[slot]) != bucket) {
      slot = -1; // taken by a newer token of another bucket: this bucket has no token in the ring
    }
    int p = slot < 0 ? 0 : back(slot, capacity) + 1;
    while (slot >= 0 && p <= maxPeriod && p <= held) {
      if (hashes[slot] == hash) {
        String earlier = ring[slot];
        if (earlier == t || earlier.equals(t)) {
          t = earlier;
          extendRun(p, i);
        }
      }
      int step = previousInBucket[slot];
      if (step == 0) {
        break;
      }
      p += step;
      slot = slot - step < 0 ? slot - step + capacity : slot - step;
    }
    if (count > 0) {
      // A count also continues the runs of the periods back to the count one below it.
      int at = newest + 1; // the ring index of the token p back, stepped down without a division
      for (int q = 1; q <= maxPeriod && q <= held; q++) {
        at = at == 0 ? capacity - 1 : at - 1;
        if (counts[at] == count - 1) {
          extendRun(q, i);
        }
      }
    }
    if (encodedRecent != null) {
      encodedRecent.addLast(t);
    }
    newest = newest + 1 == capacity ? 0 : newest + 1;
    position = i;
    place(newest, t, hash, count, word, capacity);
    if (held == capacity) {
      forgetOldestEncoded(); // the new token took the oldest one's place
    } else {
      held++;
    }
  }

  /** Writes a token into the newest ring slot and links it into its bucket's chain. */
  private void place(int slot, String t, int hash, int count, boolean word, int capacity) {
    hashes[slot] = hash;
    ring[slot] = t;
    counts[slot] = count;
    wordAt[slot] = word;
    int bucket = bucket(hash);
    int latest = latestInBucket[bucket];
    // The latest of the bucket may be a slot a newer token of another bucket has taken since: no chain then.
    previousInBucket[slot] = latest < 0 || latest == slot || bucket(hashes[latest]) != bucket ? 0 : back(latest, capacity);
    latestInBucket[bucket] = slot;
  }

  /** How many tokens back from the newest one the token in {@code slot} is (0 for the newest). */
  private int back(int slot, int capacity) {
    int d = newest - slot;
    return d < 0 ? d + capacity : d;
  }

  private static int bucket(int hash) {
    return (hash ^ (hash >>> 16)) & (BUCKETS - 1);
  }

  private void extendRun(int p, int i) {
    if (runBounds[2 * p + 1] != i - 1) {
      runBounds[2 * p] = i;
    }
    runBounds[2 * p + 1] = i;
  }

  /** run[p]: how many consecutive latest tokens equal the one p back (see {@link #runBounds}). */
  private int run(int p) {
    return runBounds[2 * p + 1] == position ? position - runBounds[2 * p] + 1 : 0;
  }

  /** maxPeriod + 1: the periods the runs are kept for, counting the unused 0. */
  private int periods() {
    return runBounds.length / 2;
  }

  /** Runs for periods 1..periods − 1, all 0. */
  private void resetRuns(int periods) {
    runBounds = new int[2 * periods];
    for (int p = 0; p < periods; p++) {
      runBounds[2 * p + 1] = position - 2; // ends neither at the newest token nor at the next one's previous
    }
  }

  private void forgetOldestEncoded() {
    if (encodedRecent != null) {
      encodedRecent.removeFirst();
    }
  }

  /** The tokens held, oldest first. */
  private List<String> heldTokens() {
    if (ring == null) {
      return decoded != null ? decoded : List.of();
    }
    List<String> tokens = new ArrayList<>(held);
    for (int k = 0; k < held; k++) {
      tokens.add(ring[Math.floorMod(newest - (held - 1) + k, ring.length)]);
    }
    return tokens;
  }

  /**
   * The ring for a reading, after a decode (before the next token, which sizes it for the settings): as
   * large as the history held, or as the longest period needs.
   */
  private void readableRing() {
    if (ring == null) {
      syncRing(Math.max(held, capacity(1, periods() - 1)));
    }
  }

  /**
   * Builds the ring when it is missing (from the decoded tokens) or sized for other settings (from the
   * ring it replaces), keeping the latest {@code capacity} tokens.
   */
  private void syncRing(int capacity) {
    if (ring != null && ring.length == capacity) {
      return;
    }
    List<String> tokens = heldTokens();
    int dropped = Math.max(0, tokens.size() - capacity);
    for (int i = 0; i < dropped; i++) {
      forgetOldestEncoded();
    }
    tokens = tokens.subList(dropped, tokens.size());
    decoded = null;
    held = tokens.size();
    hashes = new int[capacity];
    ring = new String[capacity];
    counts = new int[capacity];
    wordAt = new boolean[capacity];
    previousInBucket = new int[capacity];
    latestInBucket = new int[BUCKETS];
    Arrays.fill(latestInBucket, -1);
    newest = capacity - 1;
    for (String earlier : tokens) {
      newest = newest + 1 == capacity ? 0 : newest + 1;
      place(newest, earlier, earlier.hashCode(), count(earlier), isWord(earlier), capacity);
    }
  }

  /**
   * {@link RepetitionRate} of the last {@code repetitionWindow} tokens, read from the ring: n-grams are
   * found again by their tokens' hashes and then compared token by token, so the rate is the one of the
   * tokens themselves, without copying the window or making a list of each n-gram at every sentence.
   */
  public double repetitionRate(int repetitionWindow, int ngram) {
    if (ngram < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + ngram);
    }
    readableRing();
    int capacity = ring.length;
    int w = Math.min(repetitionWindow, held);
    int grams = w - ngram + 1;
    if (grams <= 0) {
      return Double.NaN;
    }
    // The window's tokens and hashes, oldest first, copied out of the ring once: the n-grams below then
    // index them directly, where ring positions would need a division each to wrap.
    int[] windowHashes = new int[w];
    String[] windowTokens = new String[w];
    int at = Math.floorMod(newest - (w - 1), capacity); // the ring index of the window's oldest token
    for (int k = 0; k < w; k++) {
      windowHashes[k] = hashes[at];
      windowTokens[k] = ring[at];
      at = at + 1 == capacity ? 0 : at + 1;
    }
    int slots = Integer.highestOneBit(2 * grams - 1) * 2; // at most half full
    int[] table = new int[slots]; // the number of a gram seen, plus one; 0 for an empty slot
    int[] gramHashes = new int[grams];
    int repeated = 0;
    for (int g = 0; g < grams; g++) {
      int h = 1;
      for (int k = 0; k < ngram; k++) {
        h = 31 * h + windowHashes[g + k];
      }
      gramHashes[g] = h;
      for (int slot = (h ^ (h >>> 16)) & (slots - 1); ; slot = (slot + 1) & (slots - 1)) {
        int seen = table[slot] - 1;
        if (seen < 0) {
          table[slot] = g + 1;
          break;
        }
        if (gramHashes[seen] == h && sameGram(windowHashes, windowTokens, seen, g, ngram)) {
          repeated++;
          break;
        }
      }
    }
    return (double) repeated / grams;
  }

  /** Whether the n-grams starting at window positions {@code a} and {@code b} hold equal tokens. */
  private static boolean sameGram(int[] windowHashes, String[] windowTokens, int a, int b, int ngram) {
    for (int k = 0; k < ngram; k++) {
      if (windowHashes[a + k] != windowHashes[b + k] || !windowTokens[a + k].equals(windowTokens[b + k])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The loop reading: the stronger of {@link #runLoop} (the same span again, but for a count going up)
   * and {@link #nearLoop} (the same words again, but for a few), by repeats; the shorter period on a tie.
   */
  public Loop loop(int minLoopTokens) {
    Loop run = runLoop(minLoopTokens);
    Loop near = nearLoop(minLoopTokens);
    return near.repeats() > run.repeats() || near.repeats() == run.repeats() && near.period() > 0 && near.period() < run.period()
        ? near : run;
  }

  /**
   * The smallest period p with a full repetition (run[p] ≥ p, covering at least {@code minLoopTokens}
   * tokens), and its repeats {@code 1 + run[p] / p}. Tokens are the same here when they are equal, or
   * when both are counts and the later is one more ({@link #count}): a numbered loop ("11. Remove the
   * cap", "12. Remove the cap") repeats as much as a verbatim one.
   */
  public Loop runLoop(int minLoopTokens) {
    for (int p = 1; p < periods(); p++) {
      int run = run(p);
      if (run >= p && run + p >= minLoopTokens && loopable(p, 1)) {
        return new Loop(p, 1.0 + (double) run / p);
      }
    }
    return Loop.NONE;
  }

  /**
   * Share of words that may differ from the word one period back in a near loop. A loop with small edits
   * changes a word or two per repeat; legitimate repeated structure (table rows, list items, records,
   * getters) changes at least one slot of every few words, and its punctuation does not count.
   */
  static final double NEAR_MISS_SHARE = 0.10;

  /**
   * Near loop, read from the ring of recent tokens: over the words only (tokens with a letter or digit;
   * punctuation changes do not count), for every period q (in words, spanning at most the longest loop
   * period in tokens), the longest run of latest words, starting at a word equal to the one q words
   * back, in which at most {@link #NEAR_MISS_SHARE} of the words differ from the one q words back
   * (equality as in {@link #runLoop}). With a run of L ≥ q words, {@code repeats = 1 + L / q}; the
   * reading is the period with the most repeats (the shorter on a tie) whose repeats cover at least
   * {@code minLoopTokens} tokens, reported with its period in tokens. Costs O(ring × periods) at a read,
   * and far less on text without loops, where a run stops after a few differing words.
   */
  public Loop nearLoop(int minLoopTokens) {
    readableRing();
    int capacity = ring.length;
    int maxPeriod = periods() - 1;
    int[] words = new int[held]; // ring indices of the words held, oldest first
    int[] order = new int[held]; // their positions among all tokens held, oldest first
    int m = 0;
    int at = Math.floorMod(newest - (held - 1), capacity); // the oldest token held, stepped forward
    for (int k = 0; k < held; k++) {
      if (wordAt[at]) {
        words[m] = at;
        order[m++] = k;
      }
      at = at + 1 == capacity ? 0 : at + 1;
    }
    Loop best = Loop.NONE;
    for (int q = 1; q < m && order[m - 1] - order[m - 1 - q] <= maxPeriod; q++) {
      int compared = 0;
      int misses = 0;
      int start = -1; // the earliest word that starts an acceptable run
      int allowed = (int) Math.floor(NEAR_MISS_SHARE * (m - q));
      for (int j = m - 1; j >= q && misses <= allowed; j--) {
        compared++;
        boolean same = sameAt(words[j], words[j - q]);
        if (!same) {
          misses++;
        } else if (misses <= NEAR_MISS_SHARE * compared) {
          start = j;
        }
      }
      if (start < 0) {
        continue;
      }
      int length = m - start;
      int covered = order[m - 1] - order[start - q] + 1;
      double repeats = 1.0 + (double) length / q;
      // Whether the span can loop at all is asked last: it walks the period's tokens, and on text
      // without loops nearly every period fails the cheap tests first.
      if (length >= q && covered >= minLoopTokens && repeats > best.repeats() && loopable(order[m - 1] - order[m - 1 - q], 2)) {
        best = new Loop(order[m - 1] - order[m - 1 - q], repeats);
      }
    }
    return best;
  }

  /**
   * Whether the latest {@code period} tokens can make a loop: they hold a word, at least {@code distinct}
   * different ones, and, when one of them is a count, at least {@link #WORDS_BESIDE_COUNT} words that are
   * not. Punctuation alone (a table's rule, a row of dashes) is no loop; nor is one word over and over
   * ("la la la") in a near loop, whose words alone would make it periodic at any period; nor a numbered
   * heading ("Chapter 1 Chapter 2 Chapter 3", a table of contents), where the count is the content.
   */
  private boolean loopable(int period, int distinct) {
    readableRing();
    String first = null;
    boolean different = distinct <= 1;
    boolean counted = false;
    int words = 0;
    int at = newest;
    for (int k = 0; k < period && k < held; k++) {
      String t = ring[at];
      if (counts[at] >= 0) {
        counted = true;
      } else if (wordAt[at]) {
        words++;
        if (first == null) {
          first = t;
        } else if (!different && !first.equals(t)) {
          different = true;
        }
      }
      at = at == 0 ? ring.length - 1 : at - 1;
    }
    return words > 0 && different && (!counted || words >= WORDS_BESIDE_COUNT);
  }

  /** Words besides a count that a looping span needs: a numbered sentence has them, a numbered heading not. */
  static final int WORDS_BESIDE_COUNT = 3;

  private boolean sameAt(int later, int earlier) {
    return hashes[later] == hashes[earlier] && ring[later].equals(ring[earlier]) || counts[later] > 0 && counts[earlier] == counts[later] - 1;
  }

  static boolean isWord(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      // The ASCII letters and digits are exactly what Character.isLetterOrDigit says of ASCII.
      if (c < 0x80 ? c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' : Character.isLetterOrDigit(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A token that counts: one to nine ASCII digits, as its value; else -1. Loops that number their
   * repeats ("Lesson 19/20", "Lesson 20/20") are loops all the same.
   */
  static int count(String t) {
    if (t.isEmpty() || t.length() > 9) {
      return -1;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Integer.parseInt(t);
  }

  /**
   * Tokens the ring holds: the repetition window, or two of the longest periods, so that a near loop of
   * that period can be read up to two repeats (a loop of half that period up to four), whichever is more.
   */
  static int capacity(int repetitionWindow, int maxPeriod) {
    return Math.max(repetitionWindow, LOOKBACK_PERIODS * maxPeriod);
  }

  static final int LOOKBACK_PERIODS = 2;

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
