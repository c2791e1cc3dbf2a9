package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.replay.ArchivedGeneration;
import io.driftwatch.producers.text.TokenSplitter;
import io.driftwatch.scoring.radius.ProbeSample;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RadiusSamplesTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void assemblesEventGenerationsAndCutsContextFromTarget() {
    RadiusSamples s = new RadiusSamples("m", 10, 2, 1, TokenSplitter.SIMPLE, 1);
    s.event(new GenerationEvent.Start(1, "g1", "run", "m", "Once upon", null, null, T));
    s.event(new GenerationEvent.Chunk(1, "g1", 2L, List.of(new GenerationEvent.ChunkToken(" there", null, null, null, null),
        new GenerationEvent.ChunkToken(" lived", null, null, null, null)), T));
    s.event(new GenerationEvent.Token(1, "g1", 0L, " a", null, null, null, T));
    s.event(new GenerationEvent.Token(1, "g1", 1L, " time", null, null, null, T));
    s.event(new GenerationEvent.End(1, "g1", "stop", T));
    s.event(new GenerationEvent.Start(1, "g2", "run", "other", "x", null, null, T)); // never ends

    assertThat(s.samples()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo("g1");
      assertThat(String.join("", p.context())).isEqualTo("Once upon a time");
      assertThat(p.target()).containsExactly(" there", " lived");
    });
    assertThat(s.unfinished()).isEqualTo(1);
  }

  @Test
  void emptyTokensAreNotProbed() {
    RadiusSamples s = new RadiusSamples("m", 10, 2, 1, TokenSplitter.SIMPLE, 1);
    s.generation(new ArchivedGeneration("f:1", "a b c", "m", List.of("", " d", " e", "", " f", ""), null, null, null));
    assertThat(s.samples()).singleElement().satisfies(p -> assertThat(p.target()).containsExactly(" e", " f"));
  }

  @Test
  void leavesOutOtherModelsAndShortGenerationsAndDrawsReproducibly() {
    RadiusSamples a = new RadiusSamples("m", 5, 3, 4, TokenSplitter.SIMPLE, 7);
    RadiusSamples b = new RadiusSamples("m", 5, 3, 4, TokenSplitter.SIMPLE, 7);
    for (int i = 0; i < 40; i++) {
      List<String> tokens = List.of("one", " two", " three", " four", " five", " six");
      ArchivedGeneration g = new ArchivedGeneration("f:" + i, i % 4 == 0 ? "a prompt" : null, i % 10 == 9 ? "other" : null, tokens,
          null, null, null);
      a.generation(g);
      b.generation(g);
    }
    // Without a prompt three context tokens are not more than --min-context 4: only rows with a prompt qualify.
    assertThat(a.eligible()).isEqualTo(10);
    assertThat(a.otherModels()).containsEntry("other", 4L);
    assertThat(a.tooShort()).isEqualTo(26);
    assertThat(a.samples()).hasSize(5).map(ProbeSample::id).isEqualTo(b.samples().stream().map(ProbeSample::id).toList());
    assertThat(a.samples()).map(ProbeSample::model).containsOnly("m");
  }
}
