package io.driftwatch.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BenchFamilyTest {

  @Test
  void theDefaultRunsEveryFamilyAndDropsTheSemanticOnesWithoutAModel() {
    assertThat(BenchFamily.parse(null, true)).containsExactly(BenchFamily.values());
    assertThat(BenchFamily.parse(null, false))
        .containsExactly(BenchFamily.LEXICAL, BenchFamily.ATTRIBUTION, BenchFamily.LEXICAL_ATTRIBUTION, BenchFamily.LEXICAL_ATTRIBUTION_VIEW);
  }

  @Test
  void aListIsReadInAnyOrderAndCaseAndRunsInTheTableOrder() {
    assertThat(BenchFamily.parse("all, Lexical+Attribution,lexical,lexical", true))
        .containsExactly(BenchFamily.LEXICAL, BenchFamily.LEXICAL_ATTRIBUTION, BenchFamily.ALL);
  }

  @Test
  void eachFamilyAloneEnablesOnlyItself() {
    assertThat(BenchFamily.ATTRIBUTION).satisfies(f -> {
      assertThat(f.lexical).isFalse();
      assertThat(f.attribution).isTrue();
      assertThat(f.semantic).isFalse();
    });
    assertThat(BenchFamily.SEMANTIC.lexical || BenchFamily.SEMANTIC.attribution).isFalse();
    assertThat(BenchFamily.ALL.lexical && BenchFamily.ALL.attribution && BenchFamily.ALL.semantic).isTrue();
    assertThat(Arrays.stream(BenchFamily.values()).filter(f -> f.view)).containsExactly(BenchFamily.LEXICAL_ATTRIBUTION_VIEW);
  }

  @Test
  void unknownOrUnavailableFamiliesAreExplained() {
    assertThatThrownBy(() -> BenchFamily.parse("lexcal", true)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown score family 'lexcal'").hasMessageContaining("lexical+attribution");
    assertThatThrownBy(() -> BenchFamily.parse("lexical,semantic", false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--no-semantic");
  }
}
