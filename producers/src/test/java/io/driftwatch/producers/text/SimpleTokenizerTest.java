package io.driftwatch.producers.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SimpleTokenizerTest {

  @Test
  void wordsCarryTheirLeadingSpaceAndPunctuationStandsAlone() {
    assertThat(SimpleTokenizer.tokenize("It is a truth, universally acknowledged."))
        .containsExactly("It", " is", " a", " truth", ",", " universally", " acknowledged", ".");
  }

  @Test
  void contractionsHyphensAndNumbersStayWhole() {
    assertThat(SimpleTokenizer.tokenize("don’t re-read 1813's"))
        .containsExactly("don’t", " re-read", " 1813's");
  }

  /** Property: the tokens always concatenate back to the input, whatever it holds. */
  @Test
  void tokensConcatenateToTheInput() {
    Random random = new Random(7);
    String alphabet = "ab Z9 .,;'’-\n\t\"é漢<>&";
    for (int trial = 0; trial < 5_000; trial++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(30); i > 0; i--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertThat(String.join("", SimpleTokenizer.tokenize(text.toString()))).isEqualTo(text.toString());
      assertThat(SimpleTokenizer.tokenize(text.toString())).doesNotContain("");
    }
  }
}
