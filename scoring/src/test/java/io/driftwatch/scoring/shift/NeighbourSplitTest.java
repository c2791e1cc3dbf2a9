package io.driftwatch.scoring.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The neighbour change point against a from-scratch oracle of its definition (sort every row, take the K
 * most similar, count the links that stay on one side), and on sequences whose change is known.
 */
class NeighbourSplitTest {

  @Test
  void bestSplitEqualsTheDefinitionOnRandomSimilarities() {
    Random random = new Random(7);
    for (int trial = 0; trial < 500; trial++) {
      int n = 1 + random.nextInt(18);
      int neighbours = 1 + random.nextInt(5);
      int minBefore = 1 + random.nextInt(4);
      int minAfter = 1 + random.nextInt(5);
      double[][] sim = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          // Coarse values, so that ties occur and their order is checked too.
          sim[i][j] = random.nextInt(9) / 8.0;
        }
      }
      ChangePoint.Split got = NeighbourSplit.best(sim, n, minBefore, minAfter, neighbours);
      ChangePoint.Split want = oracle(sim, n, minBefore, minAfter, neighbours);
      assertThat(got.at()).as("trial %d", trial).isEqualTo(want.at());
      if (want.at() >= 0) {
        assertThat(got.statistic()).as("trial %d", trial).isCloseTo(want.statistic(), within(1e-12));
      } else {
        assertThat(got.statistic()).isNaN();
      }
    }
  }

  @Test
  void findsTheSplitBetweenTwoSeparateGroups() {
    // Items 0-5 resemble each other, items 6-11 resemble each other, and the groups do not.
    int n = 12;
    double[][] sim = new double[n][n];
    Random random = new Random(3);
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        sim[i][j] = ((i < 6) == (j < 6) ? 0.6 : 0.1) + 0.05 * random.nextDouble();
      }
    }
    ChangePoint.Split split = NeighbourSplit.best(sim, n, 3, 4, 3);
    assertThat(split.at()).isEqualTo(6);
    // Every link stays on its side: (36 − 3·(30 + 30)/11) / sqrt(36).
    assertThat(split.statistic()).isCloseTo((36 - 3 * 60.0 / 11) / 6, within(1e-12));
  }

  @Test
  void tooFewItemsOrNoAllowedSplitGiveNone() {
    double[][] sim = new double[3][3];
    assertThat(NeighbourSplit.best(sim, 3, 1, 1, 3)).isEqualTo(ChangePoint.Split.NONE);
    assertThat(NeighbourSplit.best(new double[6][6], 6, 3, 4, 3)).isEqualTo(ChangePoint.Split.NONE);
    assertThatThrownBy(() -> NeighbourSplit.best(sim, 3, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static ChangePoint.Split oracle(double[][] sim, int n, int minBefore, int minAfter, int neighbours) {
    if (n <= neighbours) {
      return ChangePoint.Split.NONE;
    }
    List<List<Integer>> links = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final int item = i;
      List<Integer> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i) {
          others.add(j);
        }
      }
      // Most similar first; among equals, the earlier item (the sort is stable over ascending indices).
      others.sort(Comparator.comparingDouble((Integer j) -> -(item < j ? sim[item][j] : sim[j][item])));
      links.add(others.subList(0, neighbours));
    }
    ChangePoint.Split best = ChangePoint.Split.NONE;
    for (int k = Math.max(1, minBefore); k <= n - Math.max(1, minAfter); k++) {
      int same = 0;
      for (int i = 0; i < n; i++) {
        for (int j : links.get(i)) {
          same += (i < k) == (j < k) ? 1 : 0;
        }
      }
      double expected = neighbours * ((double) k * (k - 1) + (double) (n - k) * (n - k - 1)) / (n - 1);
      double s = (same - expected) / Math.sqrt((double) neighbours * n);
      if (best.at() < 0 || s > best.statistic()) {
        best = new ChangePoint.Split(s, k);
      }
    }
    return best;
  }
}
