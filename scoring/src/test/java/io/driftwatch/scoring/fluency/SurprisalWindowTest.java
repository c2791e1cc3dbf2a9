package io.driftwatch.scoring.fluency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SurprisalWindowTest {

  @Test
  void meanAndTrendOverTheLastWTokens() {
    SurprisalWindow w = new SurprisalWindow();
    assertThat(w.trend()).isNaN();
    for (double logprob : new double[] {-9, -1, -2, -3, -4}) {
      w.observe(logprob, 4);
    }
    // Window keeps surprisals 1, 2, 3, 4: mean 2.5, slope exactly 1 nat per token.
    assertThat(w.mean()).isCloseTo(2.5, within(1e-12));
    assertThat(w.trend()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void flatSurprisalHasNoTrend() {
    SurprisalWindow w = new SurprisalWindow();
    for (int i = 0; i < 10; i++) {
      w.observe(-0.7, 32);
    }
    assertThat(w.trend()).isCloseTo(0.0, within(1e-12));
  }
}
