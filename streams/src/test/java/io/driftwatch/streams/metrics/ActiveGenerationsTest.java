package io.driftwatch.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import org.junit.jupiter.api.Test;

class ActiveGenerationsTest {

  @Test
  void theGaugeIsTheSumOverTasksAndForgetsClosedTasks() {
    PrometheusRegistry registry = new PrometheusRegistry();
    DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 5);
    metrics.activeGenerations("0_0", 2);
    metrics.activeGenerations("0_1", 3);
    metrics.activeGenerations("0_2", 1);
    metrics.activeGenerations("0_1", 4);
    assertThat(scraped(registry)).isEqualTo(7);
    assertThat(metrics.activeGenerationsNow()).isEqualTo(7);

    metrics.taskClosed("0_2");
    assertThat(scraped(registry)).isEqualTo(6);
  }

  private static double scraped(PrometheusRegistry registry) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("driftwatch_active_generations"))
        .map(m -> ((GaugeSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst().orElseThrow();
  }
}
