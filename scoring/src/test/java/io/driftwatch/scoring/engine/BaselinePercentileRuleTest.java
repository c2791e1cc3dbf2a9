package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rules written in baseline percentiles, through the engine: they watch {@code <score>_pct}, which a
 * record carries only once its model's baseline is ready, so a model warming up gets no percentile
 * alerts.
 */
class BaselinePercentileRuleTest {

  private static final int WARMUP = 30;
  private static final AlertRule LOOP_P995 = new AlertRule("loop_p995", "loop_repeats_pct", 99.5, 95, 1, 2);

  private final ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS.withAlertRules(List.of(LOOP_P995)));
  private final Baselines baselines = Baselines.inMemory(new BaselineSettings(WARMUP, null, Map.of()));
  private final InMemoryGenerationStore store = new InMemoryGenerationStore(baselines);

  private record Scored(List<ScoreRecord> records, List<AlertEvent> alerts) {
    ScoreRecord summary() {
      return records.get(records.size() - 1);
    }
  }

  private Scored score(List<GenerationEvent> events) {
    List<ScoreRecord> records = new ArrayList<>();
    List<AlertEvent> alerts = new ArrayList<>();
    for (GenerationEvent e : events) {
      Output out = engine.process(e, store);
      records.addAll(out.scores());
      alerts.addAll(out.alerts());
    }
    return new Scored(records, alerts);
  }

  @Test
  void percentileRulesWaitForTheBaselineThenCatchWhatItNeverSaw() {
    List<ScenarioFixtures.Case> loops = ScenarioFixtures.cases(Scenario.REPETITION_LOOP, 2, 300, 21);

    Scored early = score(loops.get(0).events());
    assertThat(early.alerts()).as("no percentile alerts while warming up").isEmpty();
    assertThat(early.records()).allSatisfy(r -> assertThat(r.scores()).doesNotContainKey("loop_repeats_pct"));
    assertThat(early.summary().kind()).isEqualTo(ScoreRecord.SUMMARY);

    // The warm-up: the model's normal traffic (the loop above was its first generation and counts too).
    for (ScenarioFixtures.Case steady : ScenarioFixtures.cases(Scenario.STEADY, WARMUP - 1, 300, 22)) {
      assertThat(score(steady.events()).alerts()).isEmpty();
    }
    assertThat(baselines.status("fixture-model").ready()).isTrue();

    Scored late = score(loops.get(1).events());
    assertThat(late.alerts()).extracting(AlertEvent::rule, AlertEvent::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("loop_p995", AlertEvent.FIRING));
    AlertEvent fired = late.alerts().get(0);
    assertThat(fired.value()).isGreaterThanOrEqualTo(99.5);
    ScoreRecord sentence = late.records().get(0);
    assertThat(sentence.scores()).containsKeys("loop_repeats", "loop_repeats_pct");
    assertThat(late.summary().scores()).containsKey("max_loop_repeats_pct");
    assertThat(late.summary().scores().get("max_loop_repeats_pct")).isGreaterThanOrEqualTo(99.5);
    // The baseline froze after warm-up: the late loop did not join it.
    assertThat(baselines.status("fixture-model").generations()).isEqualTo(WARMUP);
  }

  /**
   * With semantic scores a sentence's record waits for its embedding; its percentiles are those of the
   * baseline when the record is emitted, and the semantic scores have theirs too.
   */
  @Test
  void semanticRecordsCarryPercentilesOnceTheyAreEmbedded() {
    ScoringEngine semantic = new ScoringEngine(ScoringSettings.DEFAULTS, true);
    Baselines own = Baselines.inMemory(new BaselineSettings(WARMUP, null, Map.of()));
    List<ScoreRecord> records = new ArrayList<>();
    io.driftwatch.scoring.offline.OfflineScorer scorer = new io.driftwatch.scoring.offline.OfflineScorer(semantic,
        new EmbeddingBatch(semantic, new LetterEncoder(), 64), new InMemoryGenerationStore(own), "test",
        new io.driftwatch.scoring.offline.OfflineScorer.Sink() {
          @Override
          public void score(byte[] json) {
            try {
              records.add(io.driftwatch.contract.EventCodec.fromJson(json, ScoreRecord.class));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }

          @Override
          public void alert(byte[] json) {}

          @Override
          public void deadLetter(byte[] json) {}
        });
    long line = 0;
    for (ScenarioFixtures.Case c : ScenarioFixtures.cases(Scenario.STEADY, WARMUP + 1, 600, 25)) {
      for (GenerationEvent e : c.events()) {
        scorer.accept(io.driftwatch.contract.EventCodec.encode(e), ++line);
      }
    }
    scorer.finish();
    assertThat(own.status("fixture-model").quantiles()).containsKeys("topic_shift", "semantic_drift_index");
    List<ScoreRecord> last = records.stream().filter(r -> r.generationId().endsWith("-" + WARMUP)).toList();
    assertThat(last).filteredOn(r -> r.kind().equals(ScoreRecord.SENTENCE))
        .anySatisfy(r -> assertThat(r.scores()).containsKeys("topic_shift_pct", "semantic_drift_index_pct"));
    assertThat(last.get(last.size() - 1).scores()).containsKeys("max_topic_shift_pct", "max_semantic_drift_index_pct");
    assertThat(records.stream().filter(r -> !r.generationId().endsWith("-" + WARMUP)))
        .allSatisfy(r -> assertThat(r.scores().keySet()).noneMatch(k -> k.endsWith("_pct")));
  }

  @Test
  void steadyTextAfterWarmUpCarriesPercentilesBesideTheRawValues() {
    for (ScenarioFixtures.Case steady : ScenarioFixtures.cases(Scenario.STEADY, WARMUP, 300, 23)) {
      score(steady.events());
    }
    Scored next = score(ScenarioFixtures.cases(Scenario.STEADY, 1, 300, 24).get(0).events());
    assertThat(next.records()).hasSizeGreaterThan(3);
    for (ScoreRecord r : next.records().subList(0, next.records().size() - 1)) {
      for (String score : List.of("loop_repeats", "drift_index", "referential_drift", "entity_shift")) {
        if (r.scores().containsKey(score)) {
          assertThat(r.scores()).containsKey(score + "_pct");
          assertThat(r.scores().get(score + "_pct")).isBetween(0.0, 100.0);
        }
      }
    }
    // The summary measures the generation's maxima, as the baseline learned them.
    assertThat(next.summary().scores()).containsKeys("max_loop_repeats_pct", "max_drift_index_pct")
        .doesNotContainKey("loop_repeats_pct");
  }
}
