package io.driftwatch.streams.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders docs/metrics.md from a registry, so that the documentation of the metrics is generated from
 * the metrics themselves and cannot go stale (a test compares the committed file with this output).
 */
public final class MetricsDocumentation {

  private MetricsDocumentation() {}

  /**
   * @param collectors collectors whose label names are declared rather than observed (bridged metrics
   *     have no data points until Kafka Streams runs)
   */
  public static String render(PrometheusRegistry registry, List<MultiCollector> collectors) {
    List<MetricSnapshot> snapshots = registry.scrape().stream()
        .sorted(Comparator.comparing((MetricSnapshot s) -> s.getMetadata().getPrometheusName()))
        .toList();
    StringBuilder md = new StringBuilder();
    md.append("# Driftwatch metrics\n\n")
        .append("Generated from the metric registry by `MetricsDocTest` (module `dashboards`); do not edit by hand.\n")
        .append("Regenerate with `mvn -B -pl dashboards -am test -Dtest=MetricsDocTest -Dsurefire.failIfNoSpecifiedTests=false")
        .append(" -Ddriftwatch.writeDocs=true`.\n\n")
        .append("Every metric is served on the monitor's `/metrics` endpoint (127.0.0.1:9464 by default). Label values ")
        .append("that come from producers (model, run, reasons, rules) are capped: past the cap they count as `other`. ")
        .append("A generation id is never a label; per-generation detail is on the scores topic.\n\n")
        .append("| metric | type | labels | help |\n|---|---|---|---|\n");
    for (MetricSnapshot s : snapshots) {
      String name = s.getMetadata().getPrometheusName();
      if (name.startsWith("jvm_")) {
        continue;
      }
      String exposed = s instanceof CounterSnapshot ? name + "_total" : name;
      md.append("| `").append(exposed).append("` | ").append(type(s)).append(" | ")
          .append(String.join(", ", labels(s, collectors))).append(" | ")
          .append(s.getMetadata().getHelp() == null ? "" : s.getMetadata().getHelp().replace("|", "\\|")).append(" |\n");
    }
    md.append("\nJVM metrics from client_java's `JvmMetrics` (their labels depend on the JVM, for example the ")
        .append("garbage collector's name):\n\n");
    for (MetricSnapshot s : snapshots) {
      String name = s.getMetadata().getPrometheusName();
      if (name.startsWith("jvm_")) {
        md.append("- `").append(s instanceof CounterSnapshot ? name + "_total" : name).append("` (").append(type(s)).append("): ")
            .append(s.getMetadata().getHelp()).append("\n");
      }
    }
    md.append("\nHistograms expose classic buckets (`_bucket`, `_count`, `_sum`, for Grafana) and, to clients that ")
        .append("negotiate the protobuf format, native histograms as well.\n");
    return md.toString();
  }

  private static String type(MetricSnapshot s) {
    if (s instanceof CounterSnapshot) {
      return "counter";
    } else if (s instanceof GaugeSnapshot) {
      return "gauge";
    } else if (s instanceof HistogramSnapshot) {
      return "histogram";
    } else if (s instanceof SummarySnapshot) {
      return "summary";
    } else if (s instanceof InfoSnapshot) {
      return "info";
    }
    return "untyped";
  }

  private static Set<String> labels(MetricSnapshot s, List<MultiCollector> collectors) {
    Set<String> names = new TreeSet<>();
    s.getDataPoints().forEach(d -> d.getLabels().forEach(l -> names.add(l.getName())));
    for (MultiCollector c : collectors) {
      Set<String> declared = c.getLabelNames(s.getMetadata().getPrometheusName());
      if (declared != null) {
        names.addAll(declared);
      }
    }
    return names;
  }
}
