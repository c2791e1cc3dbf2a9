package io.driftwatch.streams.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Bridges a curated set of Kafka Streams' own client metrics (consumer lag, commit and process rates,
 * thread liveness, application state) into the Prometheus endpoint, read live at each scrape. Only
 * these few are bridged, each with bounded labels (thread, topic, partition), so the endpoint stays
 * small; everything else remains available over JMX.
 */
public final class KafkaStreamsMetrics implements MultiCollector {

  /** One Kafka metric exposed as one Prometheus gauge; the Kafka tags listed become labels. */
  private record Bridge(String group, String name, String prometheusName, String help, double scale, List<String> tags) {}

  private static final List<Bridge> BRIDGES = List.of(
      new Bridge("consumer-fetch-manager-metrics", "records-lag", "driftwatch_kafka_consumer_records_lag",
          "Records each of the monitor's consumers is behind the end of each partition it reads", 1,
          List.of("client-id", "topic", "partition")),
      new Bridge("consumer-fetch-manager-metrics", "records-lag-max", "driftwatch_kafka_consumer_records_lag_max",
          "Largest lag, in records, over the partitions of each consumer in the recent window", 1, List.of("client-id")),
      new Bridge("stream-thread-metrics", "commit-rate", "driftwatch_kafka_streams_commit_rate",
          "Commits per second of each stream thread", 1, List.of("thread-id")),
      new Bridge("stream-thread-metrics", "commit-latency-avg", "driftwatch_kafka_streams_commit_latency_seconds",
          "Average commit latency of each stream thread", 0.001, List.of("thread-id")),
      new Bridge("stream-thread-metrics", "process-rate", "driftwatch_kafka_streams_process_rate",
          "Records processed per second by each stream thread", 1, List.of("thread-id")),
      new Bridge("stream-thread-metrics", "poll-rate", "driftwatch_kafka_streams_poll_rate",
          "Consumer polls per second of each stream thread", 1, List.of("thread-id")),
      new Bridge("stream-metrics", "alive-stream-threads", "driftwatch_kafka_streams_alive_threads",
          "Stream threads alive in this instance", 1, List.of()));

  private static final String STATE = "driftwatch_kafka_streams_state";

  private final Supplier<Map<MetricName, ? extends Metric>> metrics;
  private final Supplier<KafkaStreams.State> state;

  public KafkaStreamsMetrics(Supplier<Map<MetricName, ? extends Metric>> metrics, Supplier<KafkaStreams.State> state) {
    this.metrics = metrics;
    this.state = state;
  }

  /** For documentation and tests: the bridge with no Kafka Streams behind it. */
  public static KafkaStreamsMetrics detached() {
    return new KafkaStreamsMetrics(Map::of, () -> KafkaStreams.State.CREATED);
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, GaugeSnapshot.Builder> families = new LinkedHashMap<>();
    // A scrape fails as a whole on a duplicate series, so each label set is kept once per family.
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Bridge b : BRIDGES) {
      families.put(b.prometheusName(), GaugeSnapshot.builder().name(b.prometheusName()).help(b.help()));
    }
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.get().entrySet()) {
      MetricName name = entry.getKey();
      for (Bridge b : BRIDGES) {
        if (b.group().equals(name.group()) && b.name().equals(name.name()) && hasTags(name, b)) {
          Object value = entry.getValue().metricValue();
          Labels labels = labels(name, b);
          if (value instanceof Number number && Double.isFinite(number.doubleValue()) && seen.add(b.prometheusName() + labels)) {
            families.get(b.prometheusName()).dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(labels).value(number.doubleValue() * b.scale()).build());
          }
        }
      }
    }
    GaugeSnapshot.Builder stateFamily = GaugeSnapshot.builder().name(STATE)
        .help("Kafka Streams application state of this instance: 1 for the current state, 0 for the others");
    KafkaStreams.State current = state.get();
    for (KafkaStreams.State s : KafkaStreams.State.values()) {
      stateFamily.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
          .labels(Labels.of("state", s.name())).value(s == current ? 1 : 0).build());
    }
    List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out = new ArrayList<>();
    families.values().forEach(f -> out.add(f.build()));
    out.add(stateFamily.build());
    return new MetricSnapshots(out);
  }

  @Override
  public List<String> getPrometheusNames() {
    List<String> names = new ArrayList<>();
    BRIDGES.forEach(b -> names.add(b.prometheusName()));
    names.add(STATE);
    return names;
  }

  @Override
  public java.util.Set<String> getLabelNames(String prometheusName) {
    if (STATE.equals(prometheusName)) {
      return java.util.Set.of("state");
    }
    for (Bridge b : BRIDGES) {
      if (b.prometheusName().equals(prometheusName)) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        b.tags().forEach(t -> names.add(t.replace('-', '_')));
        return names;
      }
    }
    return null;
  }

  private static boolean hasTags(MetricName name, Bridge b) {
    return b.tags().stream().allMatch(name.tags()::containsKey);
  }

  private static Labels labels(MetricName name, Bridge b) {
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String tag : b.tags()) {
      keys.add(tag.replace('-', '_'));
      values.add(name.tags().get(tag));
    }
    return Labels.of(keys, values);
  }
}
