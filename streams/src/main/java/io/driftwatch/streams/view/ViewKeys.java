package io.driftwatch.streams.view;

/**
 * Keys of the details store: {@code <generation id> NUL <kind> NUL <index, 10 digits>}. The store
 * orders keys by their UTF-8 bytes, so one generation's entries are contiguous (NUL sorts before any
 * character an id can end with), and within a kind they come in index order.
 */
public final class ViewKeys {

  /** Kinds of entry: a chunk of tokens, a score record, an alert, a span. */
  public static final char TOKENS = 't';
  public static final char SCORE = 's';
  public static final char ALERT = 'a';
  public static final char SPAN = 'p';

  private static final char SEPARATOR = '\u0000';

  private ViewKeys() {}

  public static String of(String generationId, char kind, int index) {
    // Zero-padded by hand: String.format was a measurable part of the view's cost per token.
    String digits = Integer.toString(index);
    return generationId + SEPARATOR + kind + SEPARATOR + "0".repeat(Math.max(0, 10 - digits.length())) + digits;
  }

  /** The prefix of all of a generation's entries. */
  public static String prefix(String generationId) {
    return generationId + SEPARATOR;
  }

  /** The prefix of one kind of a generation's entries. */
  public static String prefix(String generationId, char kind) {
    return generationId + SEPARATOR + kind + SEPARATOR;
  }

  /** The kind of an entry, from its key. */
  public static char kind(String key) {
    return key.charAt(key.length() - 12);
  }
}
