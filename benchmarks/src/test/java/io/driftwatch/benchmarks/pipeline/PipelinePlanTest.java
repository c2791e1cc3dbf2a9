package io.driftwatch.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelinePlanTest {

  private static PipelinePlan plan(int rounds, int warmupRounds, int chunkTokens) {
    return new PipelinePlan(200, 480, 40, 3, 10_000, Duration.ofSeconds(20), 1, 10_000, List.of(BenchFamily.LEXICAL), rounds,
        warmupRounds, chunkTokens, true, Optional.empty(), Map.of(), Duration.ZERO, true);
  }

  @Test
  void warmUpRoundsMayBeNoneButNotFewer() {
    assertThat(plan(3, 0, 0).warmupRounds()).isZero();
    assertThat(plan(3, 2, 0).warmupRounds()).isEqualTo(2);
    assertThatThrownBy(() -> plan(3, -1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warmup-rounds");
  }

  @Test
  void timedRoundsAndChunksAreChecked() {
    assertThatThrownBy(() -> plan(0, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds");
    assertThatThrownBy(() -> plan(1, 1, PipelinePlan.MAX_CHUNK_TOKENS + 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--chunk-tokens");
  }
}
