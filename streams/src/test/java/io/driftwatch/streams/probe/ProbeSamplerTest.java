package io.driftwatch.streams.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProbeSamplerTest {

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.1, 0.5})
  void samplesTheRateOfSequentialIds(double rate) {
    ProbeSampler sampler = new ProbeSampler(rate);
    int n = 200_000;
    long sampled = IntStream.range(0, n).filter(i -> sampler.sampled("gen-" + i)).count();
    // Binomial: four standard deviations either side.
    double sd = Math.sqrt(n * rate * (1 - rate));
    System.out.printf("rate %.2f: %d of %d sampled (expected %.0f ± %.0f)%n", rate, sampled, n, n * rate, 4 * sd);
    assertThat((double) sampled).isBetween(n * rate - 4 * sd, n * rate + 4 * sd);
  }

  @Test
  void theSameIdIsAlwaysDecidedTheSameWay() {
    ProbeSampler a = new ProbeSampler(0.3);
    ProbeSampler b = new ProbeSampler(0.3);
    for (int i = 0; i < 1_000; i++) {
      assertThat(a.sampled("x-" + i)).isEqualTo(b.sampled("x-" + i));
    }
  }

  @Test
  void aLowerRateSamplesASubsetOfAHigherOne() {
    ProbeSampler low = new ProbeSampler(0.05);
    ProbeSampler high = new ProbeSampler(0.2);
    for (int i = 0; i < 10_000; i++) {
      if (low.sampled("id" + i)) {
        assertThat(high.sampled("id" + i)).as("id%d", i).isTrue();
      }
    }
  }

  @Test
  void rateOneSamplesEverything() {
    ProbeSampler all = new ProbeSampler(1);
    assertThat(IntStream.range(0, 1_000).allMatch(i -> all.sampled("g" + i))).isTrue();
  }

  @Test
  void aRateOutsideTheUnitIntervalIsRefused() {
    for (double bad : new double[] {0, -0.1, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> new ProbeSampler(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1]");
    }
  }
}
