package io.driftwatch.scoring.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  @Test
  void aMonotoneRelationIsOneWhateverItsShape() {
    double[] x = {1, 2, 4, 8, 16, 32};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.log(x[i]) * 3 + 7;
    }
    assertThat(RankCorrelation.spearman(x, y)).isCloseTo(1, within(1e-12));
    double[] reversed = {6, 5, 4, 3, 2, 1};
    assertThat(RankCorrelation.spearman(x, reversed)).isCloseTo(-1, within(1e-12));
  }

  @Test
  void tiesTakeTheirMeanRank() {
    assertThat(RankCorrelation.ranks(new double[] {10, 20, 20, 5})).containsExactly(2, 3.5, 3.5, 1);
    // Textbook value: ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4).
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4})).isCloseTo(0.9486833, within(1e-6));
  }

  @Test
  void independentValuesCorrelateLittle() {
    Random random = new Random(7);
    double[] x = random.doubles(2_000).toArray();
    double[] y = random.doubles(2_000).toArray();
    // The null standard deviation is 1/sqrt(n-1), about 0.022; four of them either side.
    assertThat(RankCorrelation.spearman(x, y)).isBetween(-0.09, 0.09);
  }

  @Test
  void tooFewPairsOrAConstantSideHaveNoCorrelation() {
    assertThat(RankCorrelation.spearman(new double[] {1, 2}, new double[] {2, 1})).isNaN();
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {5, 5, 5})).isNaN();
    assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1}, new double[] {1, 2})).isInstanceOf(IllegalArgumentException.class);
  }
}
