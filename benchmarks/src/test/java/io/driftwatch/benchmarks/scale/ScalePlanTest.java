package io.driftwatch.benchmarks.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScalePlanTest {

  private static ScalePlan plan(int instances, boolean rebalance) {
    return new ScalePlan(30, 60, 16, instances, 1, true, rebalance, "cp", "Main");
  }

  @Test
  void everyInstanceCountFromOneUpIsMeasured() {
    assertThat(plan(3, true).counts()).containsExactly(1, 2, 3);
    assertThat(plan(1, false).counts()).containsExactly(1);
  }

  @Test
  void limitsAreExplainedInTheOptionsTerms() {
    assertThatThrownBy(() -> plan(4, false)).hasMessageContaining("--instances must be 1 to 3");
    assertThatThrownBy(() -> plan(1, true)).hasMessageContaining("a rebalance needs --instances of at least 2");
    assertThatThrownBy(() -> new ScalePlan(2, 60, 16, 2, 1, true, false, "cp", "Main")).hasMessageContaining("--generations");
    assertThatThrownBy(() -> new ScalePlan(30, 60, -1, 2, 1, true, false, "cp", "Main")).hasMessageContaining("--chunk-tokens");
  }
}
