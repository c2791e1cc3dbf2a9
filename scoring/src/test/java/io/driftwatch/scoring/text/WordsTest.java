package io.driftwatch.scoring.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WordsTest {

  @ParameterizedTest
  @CsvSource({
      "force, forced", "vice, vices", "reply, replied", "stop, stopping", "relate, related", "crime, crimes",
      "letter, letters", "walk, walking", "lady, ladies", "pause, paused", "darcy, darcy's"})
  void inflectedFormsMeet(String a, String b) {
    assertThat(Words.stem(b)).isEqualTo(Words.stem(a));
  }

  @Test
  void wordsThatShouldStayApartDo() {
    assertThat(Words.stem("various")).isNotEqualTo(Words.stem("vary"));
    assertThat(Words.stem("miss")).isEqualTo("miss");
    assertThat(Words.stem("this")).isEqualTo("this");
  }

  @Test
  void contentStemsDropStopwordsShortWordsAndNumbers() {
    assertThat(Words.contentStems("The 3 old houses of Mr. Bennet stood by the river in 1813."))
        .containsExactly("hous", "bennet", "stood", "river");
  }
}
