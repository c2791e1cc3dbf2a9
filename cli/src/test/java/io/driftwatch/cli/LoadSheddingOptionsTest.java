package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.streams.scoring.LoadShedding;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code run}'s load-shedding options reach the monitor's semantic scoring. */
class LoadSheddingOptionsTest {

  private static final SemanticScoring SCORING = new SemanticScoring(texts -> new float[texts.size()][], 64, Duration.ofMillis(20));

  @Test
  void sheddingIsOnByDefaultAtItsDefaultBounds() {
    assertThat(parse().shedding.apply(SCORING).shedding()).isEqualTo(LoadShedding.DEFAULTS);
  }

  @Test
  void theBoundsAreTheOptionsAndNoLoadSheddingTurnsItOff() {
    assertThat(parse("--shed-above", "30s", "--shed-recover-below", "10s").shedding.apply(SCORING).shedding())
        .isEqualTo(new LoadShedding(Duration.ofSeconds(30), Duration.ofSeconds(10), LoadShedding.DEFAULTS.interval()));
    assertThat(parse("--no-load-shedding").shedding.apply(SCORING).shedding()).isNull();
    assertThat(parse().shedding.apply(null)).isNull();
  }

  @Test
  void aRecoveryBoundNotBelowTheSheddingOneIsRefusedWithBothNamed() {
    assertThatThrownBy(() -> parse("--shed-above", "2s", "--shed-recover-below", "2s").shedding.apply(SCORING))
        .isInstanceOf(UserFacingException.class).hasMessageContaining("--shed-recover-below").hasMessageContaining("--shed-above");
  }

  private static RunCommand parse(String... args) {
    return ParsedRun.parse(args);
  }

}
