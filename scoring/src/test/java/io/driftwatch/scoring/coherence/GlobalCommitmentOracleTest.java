package io.driftwatch.scoring.coherence;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The global commitment, counted as sentences join and leave the window, against a brute-force oracle
 * that recounts the window's distinct stems from scratch: random commitments (also after sentences have
 * joined the window), random sentences over a small vocabulary so that stems recur, windows of several
 * sizes, and state round trips at random points (the counts are not written, so a decoded scorer must
 * rebuild them); and the state's bytes at every step against the commitments and the window written
 * as plain strings (the commitments are kept encoded as they are added).
 */
class GlobalCommitmentOracleTest {

  private static final int VOCABULARY = 30;

  @Test
  void theCommitmentMatchesRecountingTheWindow() {
    Random random = new Random(20);
    int defined = 0;
    for (int trial = 0; trial < 500; trial++) {
      int windowSentences = 1 + random.nextInt(8);
      GlobalCommitment scorer = new GlobalCommitment();
      Set<String> commitments = new LinkedHashSet<>();
      ArrayDeque<Set<String>> window = new ArrayDeque<>();
      for (int step = 0; step < 60; step++) {
        int action = random.nextInt(10);
        if (action == 0) {
          Set<String> stems = stems(random);
          scorer.commit(stems);
          commitments.addAll(stems);
        } else if (action == 1) {
          scorer = roundTrip(scorer);
        } else {
          Set<String> stems = stems(random);
          scorer.observe(stems, windowSentences);
          window.addLast(stems);
          while (window.size() > windowSentences) {
            window.removeFirst();
          }
        }
        assertThat(bytes(scorer)).as("trial %d step %d: the state's bytes", trial, step).isEqualTo(expectedBytes(commitments, window));
        double expected = oracle(commitments, window);
        double actual = scorer.commitment();
        assertThat(Double.doubleToLongBits(actual)).as("trial %d step %d: %s against %s", trial, step, actual, expected)
            .isEqualTo(Double.doubleToLongBits(expected));
        if (!Double.isNaN(expected)) {
          defined++;
        }
      }
    }
    assertThat(defined).isGreaterThan(10_000);
  }

  @Test
  void theStateIsWrittenAsBeforeTheCounts() {
    // The counts and the encoded commitments are derived, not written: the bytes are those of the
    // commitments and the window alone, as plain strings.
    GlobalCommitment scorer = new GlobalCommitment();
    scorer.commit(Set.of("whale"));
    scorer.observe(new LinkedHashSet<>(List.of("whale", "song")), 2);
    scorer.commitment();
    StateOutput out = new StateOutput();
    scorer.writeTo(out);
    StateOutput expected = new StateOutput();
    expected.strings(List.of("whale"));
    expected.stringLists(List.of(List.of("whale", "song")));
    assertThat(Arrays.equals(out.toByteArray(), expected.toByteArray())).isTrue();
  }

  private static byte[] bytes(GlobalCommitment scorer) {
    StateOutput out = new StateOutput();
    scorer.writeTo(out);
    return out.toByteArray();
  }

  /** The commitments and the window written as plain strings, as the state has always held them. */
  private static byte[] expectedBytes(Set<String> commitments, ArrayDeque<Set<String>> window) {
    StateOutput out = new StateOutput();
    out.strings(commitments);
    List<List<String>> lists = new ArrayList<>();
    window.forEach(sentence -> lists.add(List.copyOf(sentence)));
    out.stringLists(lists);
    return out.toByteArray();
  }

  private static Set<String> stems(Random random) {
    Set<String> stems = new LinkedHashSet<>();
    for (int i = random.nextInt(6); i > 0; i--) {
      stems.add("stem" + random.nextInt(VOCABULARY));
    }
    return stems;
  }

  private static GlobalCommitment roundTrip(GlobalCommitment scorer) {
    StateOutput out = new StateOutput();
    scorer.writeTo(out);
    StateInput in = new StateInput(out.toByteArray());
    GlobalCommitment decoded = GlobalCommitment.readFrom(in);
    in.end();
    return decoded;
  }

  /** The definition: the share of the window's distinct stems that are commitments, recounted. */
  private static double oracle(Set<String> commitments, ArrayDeque<Set<String>> window) {
    Set<String> distinct = new HashSet<>();
    window.forEach(distinct::addAll);
    if (distinct.isEmpty() || commitments.isEmpty()) {
      return Double.NaN;
    }
    List<String> committed = new ArrayList<>(distinct);
    committed.retainAll(commitments);
    return (double) committed.size() / distinct.size();
  }
}
