package io.driftwatch.scoring.text;

/**
 * Finds the words of a text one after another, as a regular expression's {@code find()} would, at a
 * fraction of its cost (the scorers scan every sentence). A word is a run of letters (Unicode category
 * L), and of numbers (category N) too when asked, that may go on with an apostrophe (' or ’) and a run
 * of letters, again and again ("don't", "o’clock"). With numbers it finds the matches of
 * {@code [\p{L}\p{N}]+(?:['’]\p{L}+)*}, without them those of {@code \p{L}+(?:['’]\p{L}+)*} (tested
 * against both expressions).
 */
public final class WordScanner {

  private final String text;
  private final boolean numbers;
  private int start = -1;
  private int end;

  private WordScanner(String text, boolean numbers) {
    this.text = text;
    this.numbers = numbers;
  }

  /** Words of letters and numbers. */
  public static WordScanner lettersAndNumbers(String text) {
    return new WordScanner(text, true);
  }

  /** Words of letters only: a number separates words, as punctuation does. */
  public static WordScanner letters(String text) {
    return new WordScanner(text, false);
  }

  /** Moves to the next word; false when there is none. */
  public boolean find() {
    int n = text.length();
    int i = end;
    while (i < n) {
      int cp = text.codePointAt(i);
      if (isWordChar(cp, numbers)) {
        start = i;
        i = skip(i, numbers);
        while (i + 1 < n && (text.charAt(i) == '\'' || text.charAt(i) == '’') && Character.isLetter(text.codePointAt(i + 1))) {
          i = skip(i + 1, false);
        }
        end = i;
        return true;
      }
      i += Character.charCount(cp);
    }
    start = -1;
    end = n;
    return false;
  }

  /** Where the word found starts. */
  public int start() {
    return start;
  }

  /** Where the word found ends (exclusive). */
  public int end() {
    return end;
  }

  /** The word found, as written. */
  public String word() {
    return text.substring(start, end);
  }

  /** The end of the run of word characters (letters, and numbers if {@code numbers}) that starts at {@code i}. */
  private int skip(int i, boolean numbers) {
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (!isWordChar(cp, numbers)) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return i;
  }

  /** Category L, or L and N: as {@code \p{L}} and {@code [\p{L}\p{N}]} in a regular expression. */
  private static boolean isWordChar(int cp, boolean numbers) {
    if (cp < 0x80) {
      return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || numbers && cp >= '0' && cp <= '9';
    }
    if (Character.isLetter(cp)) {
      return true;
    }
    if (!numbers) {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
  }
}
