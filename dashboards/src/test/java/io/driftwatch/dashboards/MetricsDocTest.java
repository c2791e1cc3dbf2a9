package io.driftwatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.metrics.KafkaStreamsMetrics;
import io.driftwatch.streams.metrics.MetricsDocumentation;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md is generated from the registry: this test fails when the committed file differs from
 * what the code registers, and rewrites it when run with -Ddriftwatch.writeDocs=true.
 */
class MetricsDocTest {

  private static final Path DOC = Path.of("..", "docs", "metrics.md");

  @Test
  void metricsDocumentationMatchesTheRegistry() throws Exception {
    String expected = MetricsDocumentation.render(exampleRegistry(), List.of(KafkaStreamsMetrics.detached()));
    if (Boolean.getBoolean("driftwatch.writeDocs")) {
      Files.writeString(DOC, expected);
    }
    assertThat(Files.exists(DOC)).as("docs/metrics.md exists").isTrue();
    assertThat(Files.readString(DOC))
        .as("docs/metrics.md is stale; regenerate it with -Ddriftwatch.writeDocs=true (see its first lines)")
        .isEqualTo(expected);
  }

  /** Every metric, with one observation each so that their label names show. */
  static PrometheusRegistry exampleRegistry() {
    PrometheusRegistry registry = new PrometheusRegistry();
    DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 5);
    JvmMetrics.builder().register(registry);
    registry.register(KafkaStreamsMetrics.detached());
    io.driftwatch.streams.app.MonitorHealth.register(registry,
        () -> new io.driftwatch.streams.app.MonitorHealth.Report(true, true, "RUNNING", true, 0, 0, List.of()));
    metrics.event("token");
    metrics.tokens("m", "r", 1);
    metrics.generationStarted("m", "r");
    metrics.deadLetter("json.malformed");
    metrics.activeGenerations("0_0", 1);
    metrics.baseline("0_0", new io.driftwatch.scoring.baseline.BaselineStatus("m", "learned", 500, 500, true,
        Map.of("loop_repeats", Map.of("99.5", 2.0))));
    Instant t = Instant.EPOCH;
    // A value for every score, so that every score's histogram shows its labels.
    Map<String, Double> scores = new java.util.TreeMap<>();
    for (io.driftwatch.contract.Score score : io.driftwatch.contract.Score.values()) {
      scores.put(score.wireName(), 0.5);
    }
    metrics.scoreEmitted(new ScoreRecord(1, "g", "r", "m", "sentence", 0, 1, 0, 1, 2, scores, List.of(), t, null), 0);
    Map<String, Double> summary = new java.util.TreeMap<>(scores);
    summary.put("max_loop_repeats_pct", 99.0); // a maximum placed against the model's baseline
    metrics.scoreEmitted(new ScoreRecord(1, "g", "r", "m", "summary", null, 1, 0, 1, 2, summary, List.of("seq_gap"), t, "idle"), 0);
    metrics.guard("m", new io.driftwatch.contract.GenerationEvent.Guard("loop", "in_process", "stopped", 10L, 2L, 100L));
    metrics.semanticDecision(false);
    metrics.shedding("0_0", false, 0);
    metrics.outputReplaced("driftwatch.scores");
    metrics.span(new io.driftwatch.contract.SpanRecord(1, "g", "r", "m", 0, 12, 12, 0, 12, 1, List.of(), t));
    metrics.alert(new AlertEvent(1, "g", "r", "m", "loop", "loop_repeats", "firing", 3, 3, 1.5, 0, 1, 0, t));
    metrics.probe().outcome("m", io.driftwatch.streams.metrics.RadiusProbeMetrics.Outcome.PROBED);
    metrics.probe().cost("m", 1, 100, 0);
    metrics.probe().generationRadius("m", 8);
    metrics.probe().modelRadius("m", 8);
    return registry;
  }
}
