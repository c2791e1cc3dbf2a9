package io.driftwatch.attribution;

import java.util.function.Consumer;

/**
 * Turns text that arrives in arbitrary chunks (streamed model tokens, file buffers) into the same words
 * {@link WordTokenizer#words} gives for the whole text. A chunk may end inside a word, inside an
 * apostrophe-joined word, or between a letter and its combining accent, so text is held back until a
 * <em>safe split point</em>: whitespace or ASCII punctuation other than {@code ' - < = >} (the first two
 * can join words; the last three compose with a following U+0338 under NFKC). Text before such a point
 * normalises and splits exactly as it would inside the whole text.
 *
 * <p>The held-back text is this object's whole state: at most {@link #MAX_PENDING} characters. A longer
 * run without a safe split point (a very long word, or a script written without spaces) is cut there,
 * which may split a word in two; this is the only difference from tokenizing the whole text.
 *
 * <p>Not thread-safe; one per stream.
 */
public final class WordStream {

  /** The most text held back waiting for a safe split point. */
  public static final int MAX_PENDING = 256;

  private final StringBuilder pending = new StringBuilder();

  public WordStream() {}

  /** Resumes a stream from {@link #pending()} of an earlier one. */
  public WordStream(String pending) {
    if (pending.length() > MAX_PENDING) {
      throw new IllegalArgumentException("pending text longer than " + MAX_PENDING + " characters");
    }
    this.pending.append(pending);
  }

  /** Adds a chunk and passes every word that is now complete to {@code sink}. */
  public void feed(CharSequence chunk, Consumer<String> sink) {
    pending.append(chunk);
    int split = lastSafeSplit();
    if (split >= 0) {
      emit(split + 1, sink);
    }
    if (pending.length() > MAX_PENDING) {
      int cut = pending.length();
      if (Character.isHighSurrogate(pending.charAt(cut - 1))) {
        cut--;
      }
      emit(cut, sink);
    }
  }

  /** Ends the stream: the held-back text's words go to {@code sink}. */
  public void finish(Consumer<String> sink) {
    emit(pending.length(), sink);
  }

  /** The text held back, for serialising the stream's state. */
  public String pending() {
    return pending.toString();
  }

  private int lastSafeSplit() {
    for (int i = pending.length() - 1; i >= 0; i--) {
      if (isSafeSplit(pending.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  static boolean isSafeSplit(char c) {
    if (Character.isWhitespace(c)) {
      return true;
    }
    return c < 0x80 && !Character.isLetterOrDigit(c) && "'-<=>".indexOf(c) < 0;
  }

  private void emit(int end, Consumer<String> sink) {
    if (end == 0) {
      return;
    }
    String text = pending.substring(0, end);
    pending.delete(0, end);
    WordTokenizer.forEachWord(text, sink);
  }
}
