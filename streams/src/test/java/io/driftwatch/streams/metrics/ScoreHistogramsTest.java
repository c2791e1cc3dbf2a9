package io.driftwatch.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.ScoreRecord;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each sentence record's scores go to its model's score histograms, the models over the cap to "other". */
class ScoreHistogramsTest {

  @Test
  void eachScoreOfASentenceIsObservedInItsModelsHistogram() {
    PrometheusRegistry registry = new PrometheusRegistry();
    DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 2);
    metrics.scoreEmitted(sentence("m1", Map.of("repetition_rate", 0.125, "drift_index", 0.25)), 0);
    metrics.scoreEmitted(sentence("m1", Map.of("repetition_rate", 0.5)), 0);
    metrics.scoreEmitted(sentence("m2", Map.of("repetition_rate", 0.25, "entity_shift", 0.5)), 0);
    metrics.scoreEmitted(sentence("m3", Map.of("entity_shift", 0.75)), 0); // past the cap of 2 models
    metrics.scoreEmitted(sentence("m1", Map.of("loop_repeats", 9.0)), 0); // a score without a histogram

    assertThat(countAndSum(registry, "driftwatch_repetition_rate", "m1")).containsExactly(2, 0.625);
    assertThat(countAndSum(registry, "driftwatch_drift_index", "m1")).containsExactly(1, 0.25);
    assertThat(countAndSum(registry, "driftwatch_repetition_rate", "m2")).containsExactly(1, 0.25);
    assertThat(countAndSum(registry, "driftwatch_entity_shift", "m2")).containsExactly(1, 0.5);
    assertThat(countAndSum(registry, "driftwatch_entity_shift", "other")).containsExactly(1, 0.75);
    assertThat(series(registry, "driftwatch_entity_shift", "m1")).as("a score the model never had").isZero();
  }

  private static ScoreRecord sentence(String model, Map<String, Double> scores) {
    return new ScoreRecord(1, "g-" + model, "run", model, ScoreRecord.SENTENCE, 0, 1, 0L, 5L, 6, scores, List.of(), Instant.EPOCH, null);
  }

  private static long series(PrometheusRegistry registry, String name, String model) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .flatMap(m -> ((HistogramSnapshot) m).getDataPoints().stream())
        .filter(d -> model.equals(d.getLabels().get("model")))
        .count();
  }

  private static double[] countAndSum(PrometheusRegistry registry, String name, String model) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .flatMap(m -> ((HistogramSnapshot) m).getDataPoints().stream())
        .filter(d -> model.equals(d.getLabels().get("model")))
        .map(d -> new double[] {d.getCount(), d.getSum()})
        .findFirst().orElseThrow();
  }
}
