package io.driftwatch.attribution;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits text into normalised words, the unit of attribution. Independent of any model's tokenizer, so an
 * index built once serves every model. The same rules apply to reference documents and to generations,
 * which is what makes their words comparable. The rules (also in the module README):
 *
 * <ol>
 *   <li>Apostrophe and hyphen look-alikes become ASCII: {@code ’ ‘ ‛ ʼ ′ ＇} become {@code '}, {@code ‐ ‑}
 *       become {@code -}; curly double quotes become {@code "}. Soft hyphens (U+00AD) are removed.
 *   <li>Unicode NFKC (ligatures split, full-width forms narrowed, compatibility forms folded).
 *   <li>Lower case, code point by code point ({@link Character#toLowerCase(int)}: the locale-free simple
 *       mapping), and final sigma {@code ς} folded to {@code σ}. Not {@code String.toLowerCase}, whose
 *       context rules would make a word depend on the characters after it (breaking chunked input) and
 *       would turn {@code İ} into {@code i} plus a combining dot that splits the word.
 *   <li>A word is a maximal run of letters and digits ({@link Character#isLetterOrDigit(int)}); an
 *       apostrophe or hyphen with a letter on both sides stays inside the word ("don't", "well-known",
 *       "o'clock"). Everything else separates words, including an apostrophe or hyphen next to a digit or
 *       at either end of a word ("1990's" gives "1990" and "s").
 * </ol>
 *
 * <p>Scripts written without spaces (Chinese, Japanese, Thai) come out as clause-long "words" under these
 * rules, so attribution is effectively off for them; combining marks that are not letters (some Indic
 * vowel signs) split words.
 */
public final class WordTokenizer {

  /** Bumped whenever the rules change: an index records the version it was built with. */
  public static final int VERSION = 1;

  private WordTokenizer() {}

  /** The normalised words of a text, in order. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    forEachWord(text, out::add);
    return out;
  }

  /** Calls {@code sink} with each normalised word of {@code text}, in order. */
  public static void forEachWord(String text, Consumer<String> sink) {
    String s = normalise(text);
    int n = s.length();
    int i = 0;
    while (i < n) {
      int cp = s.codePointAt(i);
      if (!Character.isLetterOrDigit(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      int previous = cp;
      i += Character.charCount(cp);
      while (i < n) {
        int c = s.codePointAt(i);
        if (Character.isLetterOrDigit(c)) {
          previous = c;
          i += Character.charCount(c);
        } else if ((c == '\'' || c == '-') && Character.isLetter(previous) && i + 1 < n
            && Character.isLetter(s.codePointAt(i + 1))) {
          previous = c;
          i++;
        } else {
          break;
        }
      }
      sink.accept(s.substring(start, i));
    }
  }

  /**
   * Steps 1 to 3 of the rules: the text with look-alikes mapped, NFKC applied and lower-cased. Word
   * boundaries are found in this form.
   */
  public static String normalise(String text) {
    if (isPlainAscii(text)) {
      return asciiLowerCase(text);
    }
    StringBuilder mapped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\u2019', '\u2018', '\u201B', '\u02BC', '\u2032', '\uFF07' -> mapped.append('\'');
        case '\u2010', '\u2011' -> mapped.append('-');
        case '\u201C', '\u201D', '\u201F', '\u2033' -> mapped.append('"');
        case '\u00AD' -> { }
        default -> mapped.append(c);
      }
    }
    String nfkc = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
    StringBuilder lower = new StringBuilder(nfkc.length());
    for (int i = 0; i < nfkc.length(); ) {
      int cp = nfkc.codePointAt(i);
      i += Character.charCount(cp);
      int l = Character.toLowerCase(cp);
      lower.appendCodePoint(l == '\u03C2' ? '\u03C3' : l);
    }
    return lower.toString();
  }

  private static boolean isPlainAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String asciiLowerCase(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = text.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] += 'a' - 'A';
          }
        }
        return new String(chars);
      }
    }
    return text;
  }
}
