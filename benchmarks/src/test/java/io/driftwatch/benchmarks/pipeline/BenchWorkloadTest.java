package io.driftwatch.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventValidator;
import io.driftwatch.contract.GenerationEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchWorkloadTest {

  @Test
  void theChunkedWorkloadIsTheSameTokensInEachGenerationsOrder() {
    List<GenerationEvent> perToken = BenchWorkload.events(7, 50, 3, Instant.parse("2026-01-01T00:00:00Z"), "g-");
    List<GenerationEvent> chunked = BenchWorkload.chunked(perToken, 16);

    assertThat(chunked).allSatisfy(e -> assertThat(EventValidator.validate(e)).isEmpty());
    // 50 tokens in chunks of 16: three full chunks and one of 2, for each of the 7 generations.
    assertThat(chunked.stream().filter(GenerationEvent.Chunk.class::isInstance)).hasSize(7 * 4);
    assertThat(chunked).hasSize(7 * (2 + 4));
    List<GenerationEvent> expanded = new ArrayList<>();
    for (GenerationEvent e : chunked) {
      if (e instanceof GenerationEvent.Chunk c) {
        expanded.addAll(c.expand());
      } else {
        expanded.add(e);
      }
    }
    for (int g = 0; g < 7; g++) {
      String id = "g-" + g;
      assertThat(expanded.stream().filter(e -> e.generationId().equals(id)).toList())
          .containsExactlyElementsOf(perToken.stream().filter(e -> e.generationId().equals(id)).toList());
    }
  }
}
