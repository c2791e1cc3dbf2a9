package io.driftwatch.scoring.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scanner finds exactly the matches, with their bounds, of the regular expressions it documents. */
class WordScannerTest {

  private static final Pattern LETTERS_AND_NUMBERS = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)*");
  private static final Pattern LETTERS = Pattern.compile("[\\p{L}]+(?:['’][\\p{L}]+)*");

  /** Letters, digits and other numbers, both apostrophes, separators, combining marks, supplementary letters and symbols, lone surrogates. */
  private static final String[] PIECES = {"a", "Z", "é", "ß", "λ", "я", "字", "7", "٣", "²", "½", "Ⅻ", "'", "’", "''", " ", "-",
      ".", "\u0301", "𝐀", "😀", "\uD835", "\uDC00", "ʼ", "_"};

  private static final String EXAMPLE = "Don't stop: o’clock, rock'n'roll 1990's x2 '’quoted' 𝐀𝐁c ²½ Ⅻ naïve e\u0301 end' Mr. Darcy’s";

  @Test
  void lettersAndNumbersAreTheMatchesOfTheirExpression() {
    assertSameAsExpression(WordScanner::lettersAndNumbers, LETTERS_AND_NUMBERS);
  }

  @Test
  void lettersAreTheMatchesOfTheirExpression() {
    assertSameAsExpression(WordScanner::letters, LETTERS);
  }

  @Test
  void exampleWords() {
    assertThat(scanned(WordScanner.lettersAndNumbers("Don't stop at 3 o’clock, x2"))).containsExactly(
        "Don't@0", "stop@6", "at@11", "3@14", "o’clock@16", "x2@25");
    assertThat(scanned(WordScanner.letters("Don't stop at 3 o’clock, x2"))).containsExactly(
        "Don't@0", "stop@6", "at@11", "o’clock@16", "x@25");
  }

  private static void assertSameAsExpression(Function<String, WordScanner> scanner, Pattern expression) {
    assertThat(scanned(scanner.apply(EXAMPLE))).isEqualTo(matched(expression, EXAMPLE));
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(30); k > 0; k--) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String s = text.toString();
      assertThat(scanned(scanner.apply(s))).as("%s", s).isEqualTo(matched(expression, s));
    }
  }

  private static List<String> scanned(WordScanner words) {
    List<String> out = new ArrayList<>();
    while (words.find()) {
      out.add(words.word() + "@" + words.start() + (words.end() == words.start() + words.word().length() ? "" : " (bad end)"));
    }
    return out;
  }

  private static List<String> matched(Pattern expression, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = expression.matcher(text);
    while (m.find()) {
      out.add(m.group() + "@" + m.start());
    }
    return out;
  }
}
