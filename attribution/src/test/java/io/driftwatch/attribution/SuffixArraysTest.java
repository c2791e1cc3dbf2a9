package io.driftwatch.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SuffixArraysTest {

  @Test
  void matchesNaiveSortingOnRandomTextsWithManyRepeats() {
    Random random = new Random(11);
    for (int trial = 0; trial < 2000; trial++) {
      int alphabet = 2 + random.nextInt(4);
      int[] text = randomText(random, 1 + random.nextInt(60), alphabet);
      assertThat(SuffixArrays.build(text, alphabet)).as("text %s", Arrays.toString(text)).isEqualTo(naive(text));
    }
  }

  @Test
  void handlesPeriodicAndConstantTexts() {
    for (int period = 1; period <= 7; period++) {
      int[] text = new int[501];
      for (int i = 0; i < 500; i++) {
        text[i] = 1 + i % period;
      }
      assertThat(SuffixArrays.build(text, period + 1)).isEqualTo(naive(text));
    }
    // A sentence repeated many times, the benchmark corpus's worst case for comparison sorts.
    int[] sentence = {5, 3, 9, 3, 5, 1, 7};
    int[] text = new int[sentence.length * 300 + 1];
    for (int i = 0; i + 1 < text.length; i++) {
      text[i] = sentence[i % sentence.length];
    }
    assertThat(SuffixArrays.build(text, 10)).isEqualTo(naive(text));
  }

  @Test
  void largeTextComesOutSorted() {
    Random random = new Random(3);
    int[] text = randomText(random, 300_000, 4);
    int[] sa = SuffixArrays.build(text, 4);
    boolean[] seen = new boolean[text.length];
    for (int p : sa) {
      seen[p] = true;
    }
    assertThat(seen).doesNotContain(false);
    for (int i = 1; i < sa.length; i++) {
      assertThat(compareSuffixes(text, sa[i - 1], sa[i])).isNegative();
    }
  }

  @Test
  void rejectsTextWithoutSentinel() {
    assertThatThrownBy(() -> SuffixArrays.build(new int[] {1, 2}, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThat(SuffixArrays.build(new int[] {0}, 1)).containsExactly(0);
  }

  /** Symbols in [1, alphabet) followed by the sentinel 0. */
  private static int[] randomText(Random random, int length, int alphabet) {
    int[] text = new int[length + 1];
    for (int i = 0; i < length; i++) {
      text[i] = 1 + random.nextInt(alphabet - 1);
    }
    return text;
  }

  private static int[] naive(int[] text) {
    return IntStream.range(0, text.length).boxed()
        .sorted(Comparator.comparing(p -> p, (a, b) -> compareSuffixes(text, a, b)))
        .mapToInt(Integer::intValue).toArray();
  }

  private static int compareSuffixes(int[] text, int a, int b) {
    while (a < text.length && b < text.length) {
      if (text[a] != text[b]) {
        return Integer.compare(text[a], text[b]);
      }
      a++;
      b++;
    }
    return Integer.compare(text.length - a, text.length - b);
  }
}
