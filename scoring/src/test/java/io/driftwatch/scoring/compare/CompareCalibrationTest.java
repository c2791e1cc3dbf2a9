package io.driftwatch.scoring.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.demo.Scenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Compare on real text scored by the real engine: drift injected into a known share of a run is found,
 * with the rows it was injected into; and two halves of one run, split at random 100 times, differ no
 * more often than the nominal 5%.
 */
class CompareCalibrationTest {

  @Test
  void driftInjectedIntoAFifthOfTheRowsIsFoundAndItsRowsListed() {
    int n = 200;
    List<Scenario.Script> archive = ScoredRuns.scripts(Scenario.STEADY, n, 21);
    List<Scenario.Script> drifted = new ArrayList<>(archive);
    List<Scenario.Script> loops = ScoredRuns.scripts(Scenario.REPETITION_LOOP, n / 5, 22);
    Set<String> injected = new TreeSet<>();
    for (int i = 0; i < n / 5; i++) {
      drifted.set(i * 5, loops.get(i)); // every fifth row: 20%
      injected.add("row-" + i * 5);
    }
    RunScores before = ScoredRuns.run("before", ScoredRuns.score("before", archive));
    RunScores after = ScoredRuns.run("after", ScoredRuns.score("after", drifted));

    Comparison c = new Comparer(Comparer.Settings.DEFAULTS).compare(List.of(before, after));

    for (String score : List.of("repetition_rate", "loop_repeats")) {
      Difference d = c.differences().stream().filter(x -> x.score().equals(score)).findFirst().orElseThrow();
      assertThat(d.flagged()).as("%s: %s", score, d).isTrue();
      assertThat(d.low()).as(score).isGreaterThan(0);
      assertThat(d.rankTestP()).as(score).isLessThan(0.05);
    }
    assertThat(c.alignedRows()).containsEntry("after", n);
    assertThat(c.changedRows()).hasSize(20);
    assertThat(c.changedRows()).allSatisfy(r -> assertThat(injected).contains(r.row()));
  }

  @Test
  void aRunAgainstAReshuffledSplitOfItselfIsFlaggedAtTheNominalRate() {
    List<ScoreRecord> pool = ScoredRuns.score("pool", ScoredRuns.scripts(Scenario.STEADY, 300, 31));
    int ciFlags = 0;
    int rankFlags = 0;
    String score = "local_coherence";
    for (int rep = 0; rep < 100; rep++) {
      List<ScoreRecord> shuffled = new ArrayList<>(pool);
      Collections.shuffle(shuffled, new Random(1000 + rep));
      RunScores a = ScoredRuns.run("a", shuffled.subList(0, 150));
      RunScores b = ScoredRuns.run("b", shuffled.subList(150, 300));
      Difference d = Difference.of(score, "a", a.values(score), "b", b.values(score), 1000, 0.95, new SplittableRandom(rep));
      ciFlags += d.flagged() ? 1 : 0;
      rankFlags += d.rankTestP() < 0.05 ? 1 : 0;
    }
    // Binomial(100, 0.05): 1 to 11 holds 99% of its mass.
    assertThat(ciFlags).as("bootstrap intervals excluding 0").isBetween(1, 11);
    assertThat(rankFlags).as("rank tests below 0.05").isBetween(1, 11);
    System.out.printf("A/A, %s, 100 splits of 300 steady texts: interval excluded 0 in %d, rank test p < 0.05 in %d%n", score, ciFlags,
        rankFlags);
  }
}
