package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.GenerationEvent.End;
import io.driftwatch.contract.GenerationEvent.Start;
import io.driftwatch.contract.GenerationEvent.Token;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases {@link ScoringEngineFuzzTest} found, each reduced to the events that broke the engine. */
class FuzzRegressionTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

  /** Event times ~10,000 years apart: the elapsed time overflowed a long of nanoseconds. */
  @Test
  void tokensPerSecondSurvivesEventTimesCenturiesApart() {
    List<ScoreRecord> out = run(
        new Start(1, "g", "r", "m", "", null, Map.of(), T0),
        new Token(1, "g", 0L, " Hello", null, null, null, Instant.parse("0001-01-01T00:00:00Z")),
        new Token(1, "g", 1L, " there.", null, null, null, Instant.parse("9999-12-31T23:59:59.999999999Z")),
        new End(1, "g", "stop", T0));
    ScoreRecord summary = out.get(out.size() - 1);
    assertThat(summary.kind()).isEqualTo(ScoreRecord.SUMMARY);
    assertThat(summary.scores().get("tokens_per_second")).isPositive().isLessThan(1e-9);
  }

  /** The same, backwards: the last token is ~10,000 years before the first. */
  @Test
  void tokensPerSecondIsLeftOutWhenEventTimeRunsBackwardsByCenturies() {
    List<ScoreRecord> out = run(
        new Token(1, "g", 0L, " Hello", null, null, null, Instant.parse("9999-12-31T23:59:59Z")),
        new Token(1, "g", 1L, " there.", null, null, null, Instant.parse("0001-01-01T00:00:00Z")),
        new End(1, "g", "stop", T0));
    assertThat(out).last().satisfies(summary -> assertThat(summary.scores()).doesNotContainKey("tokens_per_second"));
  }

  /**
   * A capitalised token of 60,000 letters became an entity key, a JSON field name of the stored state
   * over Jackson's 50,000-character limit: the state could be written but not read back, so every later
   * event of the generation failed. Words are now cut at {@link io.driftwatch.scoring.text.Words#MAX_WORD_CHARS}.
   */
  @Test
  void aGiantCapitalisedWordLeavesTheStateReadable() {
    List<ScoreRecord> out = run(
        new Start(1, "g", "r", "m", "Tell me about Elizabeth.", null, Map.of(), T0),
        new Token(1, "g", 0L, " She met", null, null, null, T0),
        new Token(1, "g", 1L, " Q" + "x".repeat(60_000), null, null, null, T0),
        new Token(1, "g", 2L, " there.", null, null, null, T0),
        new Token(1, "g", 3L, " Then", null, null, null, T0),
        new End(1, "g", "stop", T0));
    assertThat(out).extracting(ScoreRecord::kind).endsWith(ScoreRecord.SUMMARY);
  }

  static List<ScoreRecord> run(GenerationEvent... events) {
    return run(new ScoringEngine(ScoringSettings.DEFAULTS), events);
  }

  static List<ScoreRecord> run(ScoringEngine engine, GenerationEvent... events) {
    InMemoryGenerationStore store = new InMemoryGenerationStore();
    List<ScoreRecord> out = new ArrayList<>();
    for (GenerationEvent event : events) {
      out.addAll(engine.process(event, store).scores());
    }
    return out;
  }
}
