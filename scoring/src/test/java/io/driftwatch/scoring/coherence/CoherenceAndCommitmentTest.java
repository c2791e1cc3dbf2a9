package io.driftwatch.scoring.coherence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CoherenceAndCommitmentTest {

  @Test
  void localCoherenceCountsSharedStemsWithTheTwoPreviousSentences() {
    LexicalCoherence c = new LexicalCoherence();
    assertThat(c.observe(Set.of("house", "hill"), false, 5)).isNaN();
    // 1 of 3 stems shared with the previous sentence, no reference continuation: (1 + 0) / (3 + 1).
    assertThat(c.observe(Set.of("house", "river", "window"), false, 5)).isCloseTo(0.25, within(1e-12));
    // Shares "hill" (two back) and "river" (one back), and continues a reference: (2 + 1) / (2 + 1).
    assertThat(c.observe(Set.of("hill", "river"), true, 5)).isCloseTo(1.0, within(1e-12));
    assertThat(c.rolling()).isCloseTo(0.625, within(1e-12));
    // Three back is out of reach.
    c.observe(Set.of("cat"), false, 5);
    c.observe(Set.of("dog"), false, 5);
    assertThat(c.observe(Set.of("house"), false, 5)).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void commitmentIsTheShareOfTheWindowsStemsInThePromptAndOpening() {
    GlobalCommitment g = new GlobalCommitment();
    g.commit(Set.of("whale", "ocean"));
    assertThat(g.commitment()).isNaN();
    g.observe(Set.of("whale", "song"), 2);
    assertThat(g.commitment()).isCloseTo(0.5, within(1e-12));
    g.observe(Set.of("ocean", "deep", "song"), 2);
    // Window stems {whale, song, ocean, deep}: 2 of 4 committed.
    assertThat(g.commitment()).isCloseTo(0.5, within(1e-12));
    g.observe(Set.of("stock", "market"), 2);
    // {ocean, deep, song, stock, market}: 1 of 5.
    assertThat(g.commitment()).isCloseTo(0.2, within(1e-12));
  }

  /** Memory bound: commitments stop at MAX_COMMITMENT_CHARS characters as well as MAX_COMMITMENTS stems. */
  @Test
  void commitmentsStopAtTheirCharacterBudget() {
    GlobalCommitment g = new GlobalCommitment();
    java.util.Set<String> stems = new java.util.LinkedHashSet<>();
    for (int i = 0; i < 2000; i++) {
      stems.add(String.format("%032d", i));
    }
    g.commit(stems);
    assertThat(g.commitments()).isEqualTo(GlobalCommitment.MAX_COMMITMENT_CHARS / 32);
  }
}
