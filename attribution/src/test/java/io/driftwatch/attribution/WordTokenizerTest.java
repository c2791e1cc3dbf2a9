package io.driftwatch.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordTokenizerTest {

  @Test
  void lowerCasesAndSplitsOnEverythingButLettersAndDigits() {
    assertThat(WordTokenizer.words("It is a truth, universally acknowledged... (1813)!"))
        .containsExactly("it", "is", "a", "truth", "universally", "acknowledged", "1813");
    assertThat(WordTokenizer.words("  \t\n ")).isEmpty();
    assertThat(WordTokenizer.words("")).isEmpty();
    assertThat(WordTokenizer.words("_emphasis_ and a/b; x+y=z")).containsExactly("emphasis", "and", "a", "b", "x", "y", "z");
  }

  @Test
  void keepsApostrophesAndHyphensThatJoinLetters() {
    assertThat(WordTokenizer.words("Don't stop the well-known state-of-the-art o'clock train"))
        .containsExactly("don't", "stop", "the", "well-known", "state-of-the-art", "o'clock", "train");
    // Not between two letters: a separator.
    assertThat(WordTokenizer.words("'quoted' rock-- -n- 1990's covid-19 don''t x-"))
        .containsExactly("quoted", "rock", "n", "1990", "s", "covid", "19", "don", "t", "x");
  }

  @Test
  void normalisesCurlyApostrophesAndHyphenLookAlikes() {
    assertThat(WordTokenizer.words("Don’t you ‘dare’ — it’s well‐known and non‑breaking"))
        .containsExactly("don't", "you", "dare", "it's", "well-known", "and", "non-breaking");
    assertThat(WordTokenizer.words("“Quoted” words")).containsExactly("quoted", "words");
    // A soft hyphen is invisible: it joins nothing and splits nothing.
    assertThat(WordTokenizer.words("hy\u00ADphen")).containsExactly("hyphen");
  }

  @Test
  void appliesNfkcAndCaseFolding() {
    // Ligature, full-width letters and digits, superscript digit, composed vs decomposed accents.
    assertThat(WordTokenizer.words("ﬁne ＷＯＲＤ ３ x² Cafe\u0301 CAFÉ"))
        .containsExactly("fine", "word", "3", "x2", "café", "café");
    // Capital I with dot stays one word; Greek final sigma folds to σ whatever its case or position.
    assertThat(WordTokenizer.words("İstanbul ΟΔΟΣ οδος")).containsExactly("istanbul", "οδοσ", "οδοσ");
    // Letters outside the basic plane (mathematical bold A folds to a under NFKC).
    assertThat(WordTokenizer.words("\uD835\uDC00bc")).containsExactly("abc");
  }

  @Test
  void normalisedFormIsStableUnderRepeatedNormalisation() {
    String text = "Ｆｕｌｌ ﬂow Café’s ΣΟΦΙΑ";
    String once = WordTokenizer.normalise(text);
    assertThat(WordTokenizer.normalise(once)).isEqualTo(once);
    assertThat(WordTokenizer.words(once)).isEqualTo(WordTokenizer.words(text));
  }
}
