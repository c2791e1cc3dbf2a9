package io.driftwatch.scoring.degeneration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RepetitionRateTest {

  @Test
  void textWithoutRepeatsScoresZero() {
    assertThat(RepetitionRate.of(List.of("the", "cat", "sat", "on", "a", "mat"), 3)).isZero();
  }

  @Test
  void aLoopScoresCloseToOne() {
    List<String> loop = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      loop.addAll(List.of("i", "am", "sorry", "."));
    }
    // 78 trigrams, of which only the first 4 distinct ones are new.
    assertThat(RepetitionRate.of(loop, 3)).isCloseTo(74.0 / 78, within(1e-12));
  }

  @Test
  void tooShortAWindowIsUndefined() {
    assertThat(RepetitionRate.of(List.of("a", "b"), 3)).isNaN();
  }

  /** Property: agrees with a brute-force count on random windows over small vocabularies. */
  @Test
  void agreesWithBruteForceOracle() {
    Random random = new Random(20261124);
    for (int trial = 0; trial < 2_000; trial++) {
      int n = 1 + random.nextInt(4);
      int size = random.nextInt(40);
      int vocabulary = 1 + random.nextInt(6);
      List<String> window = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        window.add("w" + random.nextInt(vocabulary));
      }
      double expected = bruteForce(window, n);
      double actual = RepetitionRate.of(window, n);
      if (Double.isNaN(expected)) {
        assertThat(actual).isNaN();
      } else {
        assertThat(actual).as("window %s, n=%d", window, n).isCloseTo(expected, within(1e-12));
      }
    }
  }

  private static double bruteForce(List<String> w, int n) {
    int grams = w.size() - n + 1;
    if (grams <= 0) {
      return Double.NaN;
    }
    int repeated = 0;
    for (int i = 0; i < grams; i++) {
      boolean earlier = false;
      for (int j = 0; j < i && !earlier; j++) {
        boolean same = true;
        for (int k = 0; k < n; k++) {
          same &= w.get(i + k).equals(w.get(j + k));
        }
        earlier = same;
      }
      repeated += earlier ? 1 : 0;
    }
    return (double) repeated / grams;
  }
}
