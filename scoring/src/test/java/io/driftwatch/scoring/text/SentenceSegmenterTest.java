package io.driftwatch.scoring.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSegmenterTest {

  private static List<Sentence> cut(List<String> tokens, int maxTokens) {
    SentenceSegmenter segmenter = new SentenceSegmenter();
    List<Sentence> out = new ArrayList<>();
    long seq = 0;
    for (String t : tokens) {
      segmenter.accept(seq++, t, Instant.EPOCH, maxTokens).ifPresent(out::add);
    }
    segmenter.flush().ifPresent(out::add);
    return out;
  }

  @Test
  void cutsAtSentenceEndsOnceTheNextTokenStartsWithSpace() {
    List<Sentence> s = cut(List.of("It", " rained", ".", " We", " stayed", " in", "!", " Why", "?"), 64);
    assertThat(s).extracting(Sentence::text).containsExactly("It rained.", "We stayed in!", "Why?");
    assertThat(s).extracting(Sentence::cut).containsExactly("end", "end", "final");
    assertThat(s).extracting(Sentence::firstSeq).containsExactly(0L, 3L, 7L);
    assertThat(s).extracting(Sentence::lastSeq).containsExactly(2L, 6L, 8L);
    assertThat(s).extracting(Sentence::index).containsExactly(0, 1, 2);
  }

  @Test
  void abbreviationsInitialsAndDecimalsDoNotEndSentences() {
    List<Sentence> s = cut(List.of("Mr", ".", " Darcy", " paid", " 3", ".", "5", " pounds", " to", " J", ".", " Smith", ".", " Done", "."), 64);
    assertThat(s).extracting(Sentence::text).containsExactly("Mr. Darcy paid 3.5 pounds to J. Smith.", "Done.");
  }

  @Test
  void closingQuotesStayWithTheirSentence() {
    List<Sentence> s = cut(List.of("“", "Go", ".", "”", " She", " left", "."), 64);
    assertThat(s).extracting(Sentence::text).containsExactly("“Go.”", "She left.");
  }

  @Test
  void paragraphBreaksCutEvenWithoutPunctuation() {
    List<Sentence> s = cut(List.of("A", " heading", "\n\nThe", " text", "."), 64);
    assertThat(s).extracting(Sentence::text).containsExactly("A heading", "The text.");
    assertThat(s.get(0).cut()).isEqualTo("paragraph");
  }

  @Test
  void runOnTextIsForcedIntoUnits() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      tokens.add(" and");
    }
    List<Sentence> s = cut(tokens, 10);
    assertThat(s).extracting(Sentence::cut).containsExactly("forced", "forced", "final");
    assertThat(s).extracting(x -> x.lastSeq() - x.firstSeq() + 1).containsExactly(10L, 10L, 5L);
  }

  @Test
  void nothingPendingMeansNoFinalSentence() {
    assertThat(cut(List.of("Hi", "."), 64)).extracting(Sentence::cut).containsExactly("final");
    assertThat(cut(List.of(), 64)).isEmpty();
    assertThat(cut(List.of(" ", "\n"), 64)).isEmpty();
  }

  /** Memory bound: a sentence's text never exceeds MAX_SENTENCE_CHARS, even with giant tokens. */
  @Test
  void giantTokensAreCutSoThatNoSentenceExceedsTheCharacterCap() {
    String giant = "x".repeat(65_536);
    List<Sentence> s = cut(List.of(" Hello", ".", " " + giant, " and", " more", " words."), 64);
    assertThat(s).extracting(Sentence::text)
        .allSatisfy(text -> assertThat(text.length()).isLessThanOrEqualTo(SentenceSegmenter.MAX_SENTENCE_CHARS));
    assertThat(s).extracting(Sentence::cut).containsExactly("end", "forced", "final");
    assertThat(s.get(2).text()).isEqualTo("and more words.");
    // A run of ordinary tokens also stops at the cap.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      many.add(" " + "y".repeat(99));
    }
    assertThat(cut(many, 64)).first().satisfies(first -> {
      assertThat(first.cut()).isEqualTo("forced");
      assertThat(first.lastSeq()).isEqualTo(19L);
    });
  }
}
