package io.driftwatch.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordStreamTest {

  /** Pieces chosen to straddle chunk boundaries badly: joiners, accents, ligatures, surrogates, Greek. */
  private static final String[] PIECES = {
      "a", "b", "Σ", "ς", "e", "\u0301", "'", "’", "-", "‐", " ", "  ", "\n", ".", ",", "ﬁ", "Ｗ", "1", "2",
      "\uD835\uDC00", "İ", "\u00AD", "don't", "well-known", "<", "=", "\u0338", "\"", "“", "!", "x"};

  @Test
  void anyChunkingGivesTheWordsOfTheWholeText() {
    Random random = new Random(7);
    for (int trial = 0; trial < 3000; trial++) {
      StringBuilder text = new StringBuilder();
      int pieces = random.nextInt(40);
      for (int p = 0; p < pieces; p++) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String whole = text.toString();
      List<String> streamed = new ArrayList<>();
      WordStream stream = new WordStream();
      int at = 0;
      while (at < whole.length()) {
        int end = Math.min(whole.length(), at + 1 + random.nextInt(6));
        stream.feed(whole.substring(at, end), streamed::add);
        // State survives a round trip through its serialised form at every step.
        stream = new WordStream(stream.pending());
        at = end;
      }
      stream.finish(streamed::add);
      assertThat(streamed).as("text %s", whole).isEqualTo(WordTokenizer.words(whole));
    }
  }

  @Test
  void completeWordsLeaveAsSoonAsASafeSplitFollows() {
    List<String> out = new ArrayList<>();
    WordStream stream = new WordStream();
    stream.feed("The quick bro", out::add);
    assertThat(out).containsExactly("the", "quick");
    assertThat(stream.pending()).isEqualTo("bro");
    stream.feed("wn fox don'", out::add);
    assertThat(out).containsExactly("the", "quick", "brown", "fox");
    stream.feed("t.", out::add);
    assertThat(out).containsExactly("the", "quick", "brown", "fox", "don't");
    assertThat(stream.pending()).isEmpty();
  }

  @Test
  void aRunWithoutSplitPointsIsCutAtTheCap() {
    List<String> out = new ArrayList<>();
    WordStream stream = new WordStream();
    String run = "x".repeat(WordStream.MAX_PENDING + 10);
    stream.feed(run, out::add);
    assertThat(out).containsExactly(run);
    assertThat(stream.pending()).isEmpty();
    stream.feed("y".repeat(WordStream.MAX_PENDING), out::add);
    assertThat(stream.pending()).hasSize(WordStream.MAX_PENDING);
  }
}
