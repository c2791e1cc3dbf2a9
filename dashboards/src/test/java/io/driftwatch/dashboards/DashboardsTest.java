package io.driftwatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dashboards and rules query only metrics the monitor really exposes, and are well-formed. */
class DashboardsTest {

  private static final Pattern METRIC = Pattern.compile("\\b((?:driftwatch|jvm)_[a-z0-9_]+)\\b");
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void everyQueriedMetricIsExposedByTheMonitorOrTheTap() throws IOException {
    Set<String> exposed = exposedSeriesNames();
    List<Path> files;
    try (Stream<Path> all = Stream.concat(Files.walk(Path.of("grafana/dashboards")), Files.walk(Path.of("prometheus/rules")))) {
      files = all.filter(Files::isRegularFile).toList();
    }
    assertThat(files).isNotEmpty();
    Set<String> queried = new HashSet<>();
    for (Path file : files) {
      Matcher m = METRIC.matcher(Files.readString(file));
      while (m.find()) {
        queried.add(m.group(1));
      }
    }
    assertThat(queried).isNotEmpty();
    assertThat(exposed).containsAll(queried);
  }

  @Test
  void thereIsAnOverviewAndOneDashboardPerScoreFamily() throws IOException {
    try (Stream<Path> dashboards = Files.list(Path.of("grafana/dashboards"))) {
      assertThat(dashboards.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder(
          "driftwatch-overview.json", "driftwatch-drift.json", "driftwatch-semantic.json", "driftwatch-reference.json",
          "driftwatch-degeneration.json");
    }
  }

  @Test
  void dashboardsUseTheDatasourceVariableAndUniquePanelIds() throws IOException {
    try (Stream<Path> dashboards = Files.list(Path.of("grafana/dashboards"))) {
      for (Path file : dashboards.toList()) {
        JsonNode dashboard = json.readTree(file.toFile());
        assertThat(dashboard.path("uid").asText()).as(file.toString()).isNotBlank();
        assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).contains("datasource", "model", "run");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
          assertThat(ids.add(panel.path("id").asInt())).as("unique panel id in " + file).isTrue();
          assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
          assertThat(panel.path("targets")).isNotEmpty();
        }
      }
    }
  }

  /** Names as they appear in the exposition format: counters end in _total, histograms have _bucket etc. */
  private static Set<String> exposedSeriesNames() {
    PrometheusRegistry registry = new PrometheusRegistry();
    new DriftwatchMetrics(registry, 10);
    JvmMetrics.builder().register(registry);
    registry.register(io.driftwatch.streams.metrics.KafkaStreamsMetrics.detached());
    io.driftwatch.streams.app.MonitorHealth.register(registry,
        () -> new io.driftwatch.streams.app.MonitorHealth.Report(true, true, "RUNNING", true, 0, 0, List.of()));
    // The tap's own endpoint: its alert rules query it.
    new io.driftwatch.producers.tap.TapMetrics(registry, () -> new io.driftwatch.producers.sdk.TokenStreamPublisher.Stats(0, 0, 0, 0, 0, 0));
    Set<String> names = new HashSet<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      String name = snapshot.getMetadata().getPrometheusName();
      if (snapshot instanceof CounterSnapshot) {
        names.add(name + "_total");
      } else if (snapshot instanceof HistogramSnapshot) {
        names.addAll(List.of(name + "_bucket", name + "_count", name + "_sum"));
      } else {
        names.add(name);
      }
    }
    return names;
  }
}
