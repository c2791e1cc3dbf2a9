package io.driftwatch.streams.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.text.TokenSplitter;
import io.driftwatch.scoring.radius.ProbeSample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SampledGenerationsTest {

  private static final Instant T = Instant.parse("2026-12-04T12:00:00Z");
  private static final ProbeSampler ALL = new ProbeSampler(1);
  /** Splits a prompt into its characters, so token counts are easy to read off. */
  private static final TokenSplitter CHARS = text -> text.codePoints().mapToObj(Character::toString).toList();

  @Test
  void aSampledGenerationIsAssembledInSequenceOrderWhenItEnds() {
    SampledGenerations g = new SampledGenerations(ALL, 10, 100);
    assertThat(g.accept(start("a", "m", "ab"))).isEmpty();
    g.accept(token("a", 1, "y"));
    g.accept(token("a", 0, "x"));
    g.accept(new GenerationEvent.Chunk(1, "a", 2L, List.of(new GenerationEvent.ChunkToken("z", null, null, null),
        new GenerationEvent.ChunkToken("w", null, null, null)), T));
    g.accept(token("a", 1, "y"));
    Optional<SampledGenerations.Finished> done = g.accept(new GenerationEvent.End(1, "a", "stop", T.plusSeconds(3)));

    assertThat(done).get().satisfies(f -> {
      assertThat(f.tokens()).containsExactly("x", "y", "z", "w");
      assertThat(f.prompt()).isEqualTo("ab");
      assertThat(f.model()).isEqualTo("m");
      assertThat(f.runId()).isEqualTo("run");
      assertThat(f.endTime()).isEqualTo(T.plusSeconds(3));
    });
    assertThat(g.open()).isZero();
  }

  @Test
  void unsampledGenerationsAndGenerationsJoinedHalfwayAreNotAssembled() {
    ProbeSampler half = new ProbeSampler(0.5);
    String in = IntStream.range(0, 100).mapToObj(i -> "g" + i).filter(half::sampled).findFirst().orElseThrow();
    String out = IntStream.range(0, 100).mapToObj(i -> "g" + i).filter(id -> !half.sampled(id)).findFirst().orElseThrow();
    SampledGenerations g = new SampledGenerations(half, 10, 100);
    g.accept(start(out, "m", "p"));
    g.accept(token(out, 0, "x"));
    assertThat(g.open()).isZero();
    assertThat(g.accept(new GenerationEvent.End(1, out, "stop", T))).isEmpty();

    g.accept(token(in, 5, "late"));
    assertThat(g.accept(new GenerationEvent.End(1, in, "stop", T))).as("no start seen").isEmpty();
  }

  @Test
  void theOldestOpenGenerationIsDroppedPastTheCap() {
    SampledGenerations g = new SampledGenerations(ALL, 3, 100);
    for (int i = 0; i < 5; i++) {
      g.accept(start("g" + i, "m", "p"));
      g.accept(token("g" + i, 0, "t"));
    }
    assertThat(g.open()).isEqualTo(3);
    assertThat(g.evicted()).isEqualTo(2);
    assertThat(g.accept(new GenerationEvent.End(1, "g0", "stop", T))).isEmpty();
    assertThat(g.accept(new GenerationEvent.End(1, "g1", "stop", T))).isEmpty();
    assertThat(g.accept(new GenerationEvent.End(1, "g2", "stop", T))).isPresent();
  }

  @Test
  void pastTheTokenCapTheEarliestTokensAndThePromptAreDropped() {
    SampledGenerations g = new SampledGenerations(ALL, 3, 4);
    g.accept(start("a", "m", "prompt"));
    for (int i = 0; i < 10; i++) {
      g.accept(token("a", i, "t" + i));
    }
    SampledGenerations.Finished f = g.accept(new GenerationEvent.End(1, "a", "stop", T)).orElseThrow();
    assertThat(f.tokens()).containsExactly("t6", "t7", "t8", "t9");
    assertThat(f.prompt()).as("no longer adjoins the kept tokens").isNull();
    assertThat(g.truncated()).isEqualTo(1);
  }

  @Test
  void theSampleMeasuresTheLastTokensGivenThePromptAndTheRest() {
    SampledGenerations.Finished f = new SampledGenerations.Finished("a", "run", "m", "abc", List.of("d", "", "e", "f", "g"), T);
    ProbeSample s = f.sample("served", 2, 3, CHARS).orElseThrow();
    assertThat(s.model()).isEqualTo("served");
    assertThat(s.context()).containsExactly("a", "b", "c", "d", "e");
    assertThat(s.target()).containsExactly("f", "g");

    assertThat(f.sample("served", 2, 5, CHARS)).as("no more context than the first rung").isEmpty();
    assertThat(new SampledGenerations.Finished("b", null, "m", null, List.of("", ""), T).sample("m", 2, 1, CHARS)).isEmpty();
  }

  private static GenerationEvent start(String id, String model, String prompt) {
    return new GenerationEvent.Start(1, id, "run", model, prompt, null, Map.of(), T);
  }

  private static GenerationEvent token(String id, long seq, String text) {
    return new GenerationEvent.Token(1, id, seq, text, null, null, null, T);
  }
}
