package io.driftwatch.scoring.degeneration;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
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

  @Test
  void aCountingLoopIsALoop() {
    Degeneration d = new Degeneration();
    for (int n = 11; n < 15; n++) {
      for (String t : ("\n" + n + ". Remove the cap and rinse it").split("(?= )|(?=\\.)")) {
        d.observe(t, 64, 32);
      }
    }
    assertThat(d.runLoop(12).period()).isEqualTo(8);
    assertThat(d.loop(12).repeats()).isGreaterThan(3.5);
  }

  @Test
  void aLoopWithAWordChangedPerRepeatIsANearLoop() {
    Degeneration d = new Degeneration();
    String[] swaps = {"quiet", "still", "calm", "grey", "cold"};
    for (String swap : swaps) {
      for (String t : (" The sea was " + swap + " that night and the boat lay at anchor off the point, waiting for the wind.")
          .split("(?= )|(?=[.,])")) {
        d.observe(t, 64, 96);
      }
    }
    assertThat(d.runLoop(12)).isEqualTo(Degeneration.Loop.NONE);
    Degeneration.Loop near = d.nearLoop(12);
    assertThat(near.period()).isEqualTo(21);
    assertThat(near.repeats()).isGreaterThan(2.0);
    assertThat(d.loop(12)).isEqualTo(near);
  }

  @Test
  void aTableOfContentsIsNoLoopButANumberedSentenceIs() {
    Degeneration contents = new Degeneration();
    Degeneration lessons = new Degeneration();
    for (int n = 1; n <= 24; n++) {
      for (String t : List.of(" Chapter", " " + n)) {
        contents.observe(t, 64, 96);
      }
      for (String t : List.of(" Lesson", " " + n, "/", "24", ":", " Remove", " the", " cap", ".")) {
        lessons.observe(t, 64, 96);
      }
    }
    assertThat(contents.loop(12)).isEqualTo(Degeneration.Loop.NONE);
    assertThat(lessons.loop(12).period()).isEqualTo(9);
  }

  @Test
  void punctuationAloneIsNoLoop() {
    Degeneration d = new Degeneration();
    for (String t : "|---|---|---|---|---|---|---|---|".split("")) {
      d.observe(t, 64, 32);
    }
    assertThat(d.loop(12)).isEqualTo(Degeneration.Loop.NONE);
  }

  /**
   * Property: the incremental loop reading equals a brute-force search for the same definition. The
   * vocabulary holds "az" and "b[", whose hash codes are equal, so hashes alone would see loops that
   * are not there; counts that go up by one or not; and punctuation. Windows as short as the longest
   * period make the ring of hashes wrap often.
   */
  @Test
  void agreesWithBruteForceOracle() {
    assertThat("az".hashCode()).isEqualTo("b[".hashCode());
    String[] small = {"w0", "w1", "az", "b[", "7", "8", ",", "-"};
    // Many distinct tokens share the scorer's hash buckets, and long runs make the ring wrap many times.
    String[] large = new String[150];
    for (int k = 0; k < large.length; k++) {
      large[k] = k % 10 == 0 ? "7" : "v" + k;
    }
    Random random = new Random(42);
    for (int trial = 0; trial < 600; trial++) {
      String[] vocabulary = trial % 3 == 2 ? large : small;
      int length = trial % 3 == 2 ? 200 : 60;
      int maxPeriod = 1 + random.nextInt(12);
      int window = random.nextBoolean() ? 64 : maxPeriod + random.nextInt(3);
      int minTokens = 2 + random.nextInt(10);
      Degeneration d = new Degeneration();
      List<String> seen = new ArrayList<>();
      List<String> motif = new ArrayList<>();
      for (int i = 1 + random.nextInt(6); i > 0; i--) {
        motif.add(vocabulary[random.nextInt(vocabulary.length)]);
      }
      int noise = 3 + random.nextInt(20);
      int count = random.nextInt(5);
      for (int i = 0; i < length; i++) {
        String t = motif.get(i % motif.size());
        if (random.nextInt(noise) == 0) {
          t = vocabulary[random.nextInt(vocabulary.length)];
        } else if (t.equals("7")) {
          t = Integer.toString(count + i / motif.size()); // a counter that goes up once per repeat
        }
        d.observe(t, window, maxPeriod);
        seen.add(t);
        if (random.nextInt(15) == 0) {
          d = roundTrip(d); // as a commit and a restore leave it: the state written, then read back
        }
        String at = "trial %d at %d: %s".formatted(trial, i, seen);
        Degeneration.Loop run = bruteRun(seen, maxPeriod, minTokens);
        Degeneration.Loop near = bruteNear(seen.subList(Math.max(0, seen.size() - Degeneration.capacity(window, maxPeriod)), seen.size()),
            maxPeriod, minTokens);
        assertThat(d.runLoop(minTokens)).as(at).isEqualTo(run);
        assertThat(d.nearLoop(minTokens)).as(at).isEqualTo(near);
        assertThat(d.loop(minTokens)).as(at).isEqualTo(
            near.repeats() > run.repeats() || near.repeats() == run.repeats() && near.period() > 0 && near.period() < run.period() ? near : run);
        for (int n = 1; n <= 3; n++) {
          // Boxed: NaN (too few tokens) must equal NaN.
          assertThat(Double.valueOf(d.repetitionRate(window, n))).as(at + " repetition rate of %d-grams", n)
              .isEqualTo(Double.valueOf(RepetitionRate.of(seen.subList(Math.max(0, seen.size() - window), seen.size()), n)));
        }
      }
    }
  }

  private static Degeneration roundTrip(Degeneration d) {
    StateOutput out = new StateOutput();
    d.writeTo(out);
    return Degeneration.readFrom(new StateInput(out.toByteArray()));
  }

  private static boolean word(String t) {
    return t.chars().anyMatch(Character::isLetterOrDigit);
  }

  /** Equal, or both counts and the later one more. */
  private static boolean same(String later, String earlier) {
    return later.equals(earlier) || later.matches("\\d{1,9}") && earlier.matches("\\d{1,9}")
        && Integer.parseInt(later) == Integer.parseInt(earlier) + 1 && Integer.parseInt(later) > 0;
  }

  private static boolean isCount(String t) {
    return t.matches("\\d{1,9}");
  }

  /** A word besides a count, at least {@code distinct} different ones, and three beside any count. */
  private static boolean loopable(List<String> span, int distinct) {
    List<String> words = span.stream().filter(t -> word(t) && !isCount(t)).toList();
    boolean counted = span.stream().anyMatch(DegenerationTest::isCount);
    return !words.isEmpty() && words.stream().distinct().count() >= distinct
        && (!counted || words.size() >= Degeneration.WORDS_BESIDE_COUNT);
  }

  private static Degeneration.Loop bruteRun(List<String> t, int maxPeriod, int minTokens) {
    int n = t.size();
    for (int p = 1; p <= maxPeriod; p++) {
      int run = 0;
      for (int i = n - 1; i - p >= 0 && same(t.get(i), t.get(i - p)); i--) {
        run++;
      }
      if (run >= p && run + p >= minTokens && loopable(t.subList(n - p, n), 1)) {
        return new Degeneration.Loop(p, 1.0 + (double) run / p);
      }
    }
    return Degeneration.Loop.NONE;
  }

  /** The near loop by its definition: for every period, every run length tried. */
  private static Degeneration.Loop bruteNear(List<String> held, int maxPeriod, int minTokens) {
    List<Integer> at = new ArrayList<>();
    for (int k = 0; k < held.size(); k++) {
      if (word(held.get(k))) {
        at.add(k);
      }
    }
    int m = at.size();
    Degeneration.Loop best = Degeneration.Loop.NONE;
    for (int q = 1; q < m && at.get(m - 1) - at.get(m - 1 - q) <= maxPeriod; q++) {
      int periodTokens = at.get(m - 1) - at.get(m - 1 - q);
      if (!loopable(held.subList(held.size() - periodTokens, held.size()), 2)) {
        continue;
      }
      int longest = 0;
      for (int length = 1; length <= m - q; length++) {
        int misses = 0;
        for (int j = m - length; j < m; j++) {
          misses += same(held.get(at.get(j)), held.get(at.get(j - q))) ? 0 : 1;
        }
        boolean startsMatched = same(held.get(at.get(m - length)), held.get(at.get(m - length - q)));
        if (startsMatched && misses <= Degeneration.NEAR_MISS_SHARE * length) {
          longest = length;
        }
      }
      if (longest >= q && longest > 0 && at.get(m - 1) - at.get(m - longest - q) + 1 >= minTokens) {
        double repeats = 1.0 + (double) longest / q;
        if (repeats > best.repeats()) {
          best = new Degeneration.Loop(periodTokens, repeats);
        }
      }
    }
    return best;
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
