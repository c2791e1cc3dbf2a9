package io.driftwatch.scoring.degeneration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DegenerationTest {

  @Test
  void aRepeatedSpanIsALoopWithItsPeriodAndRepeats() {
    Degeneration d = new Degeneration();
    List<String> span = List.of(" I", " am", " sorry", ".");
    for (int r = 0; r < 5; r++) {
      span.forEach(t -> d.observe(t, 64, 32));
    }
    assertThat(d.loop(12)).isEqualTo(new Degeneration.Loop(4, 5.0));
  }

  @Test
  void ordinaryTextHasNoLoop() {
    Degeneration d = new Degeneration();
    for (String t : " It was the best of times, it was the worst of times, it was the age of wisdom".split("(?= )")) {
      d.observe(t, 64, 32);
    }
    assertThat(d.loop(12)).isEqualTo(Degeneration.Loop.NONE);
  }

  /**
   * Property: the incremental loop reading equals a brute-force search for the same definition. The
   * vocabulary holds "az" and "b[", whose hash codes are equal, so hashes alone would see loops that
   * are not there; windows as short as the longest period make the ring of hashes wrap often.
   */
  @Test
  void agreesWithBruteForceOracle() {
    assertThat("az".hashCode()).isEqualTo("b[".hashCode());
    String[] vocabulary = {"w0", "w1", "az", "b["};
    Random random = new Random(42);
    for (int trial = 0; trial < 500; trial++) {
      int maxPeriod = 1 + random.nextInt(12);
      int window = random.nextBoolean() ? 64 : maxPeriod + random.nextInt(3);
      int minTokens = 2 + random.nextInt(10);
      Degeneration d = new Degeneration();
      List<String> seen = new ArrayList<>();
      List<String> motif = new ArrayList<>();
      for (int i = 1 + random.nextInt(5); i > 0; i--) {
        motif.add(vocabulary[random.nextInt(vocabulary.length)]);
      }
      for (int i = 0; i < 60; i++) {
        String t = random.nextInt(4) == 0 ? vocabulary[random.nextInt(vocabulary.length)] : motif.get(i % motif.size());
        d.observe(t, window, maxPeriod);
        seen.add(t);
        assertThat(d.loop(minTokens)).as("trial %d at %d", trial, i).isEqualTo(bruteForce(seen, maxPeriod, minTokens));
      }
    }
  }

  private static Degeneration.Loop bruteForce(List<String> t, int maxPeriod, int minTokens) {
    int n = t.size();
    for (int p = 1; p <= maxPeriod; p++) {
      int run = 0;
      for (int i = n - 1; i - p >= 0 && t.get(i).equals(t.get(i - p)); i--) {
        run++;
      }
      if (run >= p && run + p >= minTokens) {
        return new Degeneration.Loop(p, 1.0 + (double) run / p);
      }
    }
    return Degeneration.Loop.NONE;
  }

  /** Memory bound: giant tokens are kept short, yet distinct ones stay distinct and equal ones loop. */
  @Test
  void giantTokensAreKeptShortButStillCompared() {
    String a = "a".repeat(65_536);
    String b = "a".repeat(65_535) + "b";
    assertThat(Degeneration.normalise(a)).hasSizeLessThanOrEqualTo(Degeneration.MAX_TOKEN_CHARS)
        .isNotEqualTo(Degeneration.normalise(b)).isEqualTo(Degeneration.normalise(" " + a.toUpperCase() + " "));
    Degeneration d = new Degeneration();
    for (int r = 0; r < 12; r++) {
      d.observe(a, 64, 32);
    }
    assertThat(d.loop(12).period()).isEqualTo(1);
  }
}
