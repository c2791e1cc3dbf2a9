package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.calibration.CalibrationEvents;
import io.driftwatch.producers.calibration.CalibrationSet;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.baseline.ModelBaseline;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a rule written in baseline percentiles does on real text (lexical scores): a baseline made from
 * the steady passages of the calibration set's tuning half (as {@code driftwatch calibrate} makes one),
 * then rules at its 99.5th percentile on the held-out half. A threshold at the 99.5th percentile of
 * normal generations' maxima should fire on about 0.5% of held-out steady passages; the test prints
 * what it measures (docs/scores.md quotes it) and fails if the calibration stops holding.
 */
class BaselineCalibrationTest {

  private static final String MODEL = "human-text";
  private static final List<AlertRule> RULES = List.of(
      new AlertRule("entity_shift_p995", "entity_shift_pct", 99.5, 95, 2, 2),
      new AlertRule("referential_drift_p995", "referential_drift_pct", 99.5, 95, 1, 2),
      new AlertRule("drift_index_p995", "drift_index_pct", 99.5, 95, 1, 2),
      ScoringSettings.DEFAULT_RULES.stream().filter(r -> r.name().equals("entity_shift")).findFirst().orElseThrow());

  @Test
  void percentileRulesFireOnAboutTheirShareOfHeldOutSteadyText() {
    List<LabelledText> set = CalibrationSet.build(2026, 100);
    ModelBaseline baseline = new ModelBaseline();
    Map<String, ScoreRecord> tuning = new HashMap<>();
    score(set.stream().filter(t -> !t.holdout() && t.scenario().equals(CalibrationSet.STEADY)).toList(),
        InMemoryGenerationStore.withoutBaselines(), ScoringSettings.DEFAULTS, tuning, new HashMap<>());
    tuning.values().forEach(summary -> baseline.learn(summary.scores()));

    List<LabelledText> holdout = set.stream().filter(LabelledText::holdout).toList();
    Baselines fixed = Baselines.inMemory(new BaselineSettings(BaselineSettings.DEFAULT_WARMUP, null, Map.of(MODEL, baseline)));
    Map<String, Set<String>> fired = new HashMap<>();
    Map<String, ScoreRecord> heldOut = new HashMap<>();
    score(holdout, new InMemoryGenerationStore(fixed), ScoringSettings.DEFAULTS.withAlertRules(RULES), heldOut, fired);

    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "baseline: %d steady passages of the tuning half;",
        baseline.generations()));
    baseline.sketches().forEach((score, sketch) -> table.append(String.format(Locale.ROOT, " %s p99.5 %.3f p100 %.3f (at it: %.1f%%)",
        score, sketch.quantile(99.5), sketch.quantile(100), sketch.percentile(sketch.quantile(100)))));
    table.append(String.format(Locale.ROOT, "%nheld out: rule fired on%n"));
    Map<String, Double> steadyRate = new HashMap<>();
    Map<String, Double> swapRate = new HashMap<>();
    for (AlertRule rule : RULES) {
      table.append(String.format(Locale.ROOT, "  %-24s", rule.name()));
      for (String scenario : List.of(CalibrationSet.STEADY, CalibrationSet.SPLICE, CalibrationSet.NAME_SWAP)) {
        List<LabelledText> texts = holdout.stream().filter(t -> t.scenario().equals(scenario)).toList();
        long hits = texts.stream().filter(t -> fired.getOrDefault(t.id(), Set.of()).contains(rule.name())).count();
        double rate = (double) hits / texts.size();
        if (scenario.equals(CalibrationSet.STEADY)) {
          steadyRate.put(rule.name(), rate);
        } else if (scenario.equals(CalibrationSet.NAME_SWAP)) {
          swapRate.put(rule.name(), rate);
        }
        table.append(String.format(Locale.ROOT, "  %s %5.1f%% (%d/%d)", scenario, 100 * rate, hits, texts.size()));
      }
      table.append('\n');
    }
    // Population drift (DriftwatchPopulationDrift): the share of generations whose maximum reaches the
    // baseline's 95th percentile, about 5% on steady text and more where the text changed.
    table.append(String.format(Locale.ROOT, "held out: share of generations at or above the baseline's 95th percentile%n"));
    Map<String, Map<String, Double>> exceedance = new HashMap<>();
    for (String score : List.of("entity_shift", "drift_index", "referential_drift")) {
      table.append(String.format(Locale.ROOT, "  %-24s", score));
      for (String scenario : List.of(CalibrationSet.STEADY, CalibrationSet.SPLICE, CalibrationSet.NAME_SWAP)) {
        List<Double> pct = holdout.stream().filter(t -> t.scenario().equals(scenario)).map(t -> heldOut.get(t.id()))
            .map(r -> r.scores().get("max_" + score + "_pct")).filter(java.util.Objects::nonNull).toList();
        long above = pct.stream().filter(v -> v >= 95).count();
        double share = (double) above / pct.size();
        exceedance.computeIfAbsent(score, k -> new HashMap<>()).put(scenario, share);
        table.append(String.format(Locale.ROOT, "  %s %5.1f%% (%d/%d)", scenario, 100 * share, above, pct.size()));
      }
      table.append('\n');
    }
    System.out.print(table);
    assertThat(exceedance.get("entity_shift").get(CalibrationSet.STEADY)).as("steady text above the 95th percentile").isBetween(0.01, 0.10);
    assertThat(exceedance.get("entity_shift").get(CalibrationSet.NAME_SWAP))
        .isGreaterThan(2 * exceedance.get("entity_shift").get(CalibrationSet.STEADY));
    // About 0.5% expected of each percentile rule; with some 400 steady passages its 95% interval
    // reaches about 1.5%, and the tuning and held-out halves come from different passages.
    for (AlertRule rule : RULES.subList(0, 3)) {
      assertThat(steadyRate.get(rule.name())).as(rule.name() + " on held-out steady text").isLessThanOrEqualTo(0.02);
    }
    // And they do fire where the text changed: the entity-shift rule far more often on name swaps.
    assertThat(swapRate.get("entity_shift_p995")).isGreaterThan(3 * steadyRate.get("entity_shift_p995")).isPositive();
  }

  private static void score(List<LabelledText> texts, InMemoryGenerationStore store, ScoringSettings settings,
      Map<String, ScoreRecord> summaries, Map<String, Set<String>> fired) {
    ScoringEngine engine = new ScoringEngine(settings);
    OfflineScorer scorer = new OfflineScorer(engine, null, store, "calibration", new OfflineScorer.Sink() {
      @Override
      public void score(byte[] json) {
        ScoreRecord r = read(json, ScoreRecord.class);
        if (ScoreRecord.SUMMARY.equals(r.kind())) {
          summaries.put(r.generationId(), r);
        }
      }

      @Override
      public void alert(byte[] json) {
        AlertEvent a = read(json, AlertEvent.class);
        if (a.state().equals(AlertEvent.FIRING)) {
          fired.computeIfAbsent(a.generationId(), k -> new HashSet<>()).add(a.rule());
        }
      }

      @Override
      public void deadLetter(byte[] json) {
        throw new AssertionError(new String(json));
      }
    });
    long line = 0;
    for (LabelledText text : texts) {
      for (GenerationEvent e : CalibrationEvents.of(text, "calibration", MODEL).events()) {
        scorer.accept(EventCodec.encode(e), ++line);
      }
    }
    scorer.finish();
  }

  private static <T> T read(byte[] json, Class<T> type) {
    try {
      return EventCodec.fromJson(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
