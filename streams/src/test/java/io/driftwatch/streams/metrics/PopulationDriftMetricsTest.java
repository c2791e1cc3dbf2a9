package io.driftwatch.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.ScoreRecord;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Summaries placed against their model's baseline feed the population-drift counters; nothing else does. */
class PopulationDriftMetricsTest {

  @Test
  void eachPlacedMaximumCountsAndThoseAtTheBaselines95thPercentileExceed() {
    PrometheusRegistry registry = new PrometheusRegistry();
    DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 5);
    metrics.scoreEmitted(summary("m1", Map.of("max_entity_shift", 0.9, "max_entity_shift_pct", 97.0, "max_drift_index_pct", 50.0)), 0);
    metrics.scoreEmitted(summary("m1", Map.of("max_entity_shift_pct", 95.0)), 0);
    metrics.scoreEmitted(summary("m1", Map.of("max_entity_shift_pct", 94.99)), 0);
    // A model still warming up has no percentiles, and a sentence's rolling percentile is not a generation's.
    metrics.scoreEmitted(summary("m2", Map.of("max_entity_shift", 0.9)), 0);
    metrics.scoreEmitted(new ScoreRecord(1, "g", "run", "m1", ScoreRecord.SENTENCE, 0, 1, 0L, 5L, 6, Map.of("entity_shift_pct", 99.0),
        List.of(), Instant.EPOCH, null), 0);

    assertThat(count(registry, "driftwatch_baseline_measured_generations", "m1", "entity_shift")).isEqualTo(3);
    assertThat(count(registry, "driftwatch_baseline_exceedances", "m1", "entity_shift")).isEqualTo(2);
    assertThat(count(registry, "driftwatch_baseline_measured_generations", "m1", "drift_index")).isEqualTo(1);
    assertThat(count(registry, "driftwatch_baseline_exceedances", "m1", "drift_index")).isZero();
    assertThat(count(registry, "driftwatch_baseline_measured_generations", "m2", "entity_shift")).isZero();
  }

  private static ScoreRecord summary(String model, Map<String, Double> scores) {
    return new ScoreRecord(1, "g-" + model, "run", model, ScoreRecord.SUMMARY, null, 3, 0L, 30L, 31, scores, List.of(),
        Instant.EPOCH, "end:stop");
  }

  private static double count(PrometheusRegistry registry, String name, String model, String score) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .filter(d -> model.equals(d.getLabels().get("model")) && score.equals(d.getLabels().get("score")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }
}
