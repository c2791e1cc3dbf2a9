package io.driftwatch.scoring.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.GenerationEvent.Chunk;
import io.driftwatch.contract.GenerationEvent.ChunkToken;
import io.driftwatch.contract.GenerationEvent.End;
import io.driftwatch.contract.GenerationEvent.Start;
import io.driftwatch.contract.GenerationEvent.Token;
import io.driftwatch.contract.ScoreRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationStatsTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-24T07:00:00Z");
  private final GenerationStats stats = new GenerationStats(new StatsSettings(8, 2, 4));

  @Test
  void emitsAWindowRecordEveryNTokensAndASummaryAtTheEnd() {
    List<ScoreRecord> out = run(List.of(
        start(),
        token(0, "a"), token(1, "b"), token(2, "c"), token(3, "d"),
        token(4, "a"), token(5, "b"),
        new End(1, "g", "stop", T0.plusSeconds(10))));

    assertThat(out).extracting(ScoreRecord::kind).containsExactly(ScoreRecord.WINDOW, ScoreRecord.SUMMARY);
    ScoreRecord window = out.get(0);
    assertThat(window.runId()).isEqualTo("run");
    assertThat(window.model()).isEqualTo("m");
    assertThat(window.tokens()).isEqualTo(4);
    assertThat(window.firstSeq()).isZero();
    assertThat(window.lastSeq()).isEqualTo(3);
    assertThat(window.scores()).containsEntry("repetition_rate", 0.0);
    // Tokens 100 ms apart: 3 intervals in 0.3 s.
    assertThat(window.scores().get("tokens_per_second")).isCloseTo(10.0, within(1e-9));

    ScoreRecord summary = out.get(1);
    assertThat(summary.closeReason()).isEqualTo("end:stop");
    assertThat(summary.tokens()).isEqualTo(6);
    // bigrams a-b, b-c, c-d, d-a, a-b: one repeat in five.
    assertThat(summary.scores().get("repetition_rate")).isCloseTo(0.2, within(1e-12));
    assertThat(summary.processingTime()).isEqualTo(NOW);
  }

  @Test
  void chunksCountLikeTheTokensTheyCarry() {
    List<ChunkToken> six = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      six.add(new ChunkToken("x" + i, null, null, null));
    }
    List<ScoreRecord> viaChunk = run(List.of(start(), new Chunk(1, "g", 0L, six, T0), new End(1, "g", "length", T0)));
    List<ScoreRecord> viaTokens = new ArrayList<>(run(List.of(start(),
        token(0, "x0", T0), token(1, "x1", T0), token(2, "x2", T0), token(3, "x3", T0), token(4, "x4", T0), token(5, "x5", T0),
        new End(1, "g", "length", T0))));
    assertThat(viaChunk).isEqualTo(viaTokens);
  }

  @Test
  void redeliveredTokensAreNotCountedTwice() {
    GenerationStats.Step step = stats.apply(null, start(), NOW);
    step = stats.apply(step.state(), token(0, "a"), NOW);
    step = stats.apply(step.state(), token(1, "b"), NOW);
    step = stats.apply(step.state(), token(1, "b"), NOW);
    step = stats.apply(step.state(), token(3, "d"), NOW);
    assertThat(step.state().tokens()).isEqualTo(3);
    assertThat(step.state().duplicates()).isEqualTo(1);
    assertThat(step.state().gaps()).isEqualTo(1);
  }

  @Test
  void windowIsBounded() {
    GenerationStats.Step step = stats.apply(null, start(), NOW);
    for (int i = 0; i < 100; i++) {
      step = stats.apply(step.state(), token(i, "t" + i), NOW);
    }
    assertThat(step.state().window()).hasSize(8).endsWith("t99");
  }

  @Test
  void idleCloseCarriesTheReasonAndEndDropsTheState() {
    GenerationStats.Step step = stats.apply(null, start(), NOW);
    step = stats.apply(step.state(), token(0, "a"), NOW);
    assertThat(stats.closeIdle(step.state(), NOW).closeReason()).isEqualTo("idle");
    assertThat(stats.apply(step.state(), new End(1, "g", "stop", T0), NOW).state()).isNull();
  }

  @Test
  void normalisationIgnoresCaseAndSurroundingSpace() {
    assertThat(GenerationStats.normalise(" The\n")).isEqualTo("the");
  }

  private List<ScoreRecord> run(List<GenerationEvent> events) {
    List<ScoreRecord> out = new ArrayList<>();
    GenerationState state = null;
    for (GenerationEvent e : events) {
      GenerationStats.Step step = stats.apply(state, e, NOW);
      out.addAll(step.emitted());
      state = step.state();
    }
    return out;
  }

  private static Start start() {
    return new Start(1, "g", "run", "m", "prompt", null, Map.of(), T0);
  }

  private static Token token(long seq, String text) {
    return token(seq, text, T0.plusMillis(100 * seq));
  }

  private static Token token(long seq, String text, Instant at) {
    return new Token(1, "g", seq, text, null, null, null, at);
  }
}
