package io.driftwatch.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class KafkaStreamsMetricsTest {

  @Test
  void bridgesSelectedMetricsWithTheirLabelsAndSurvivesDuplicates() throws Exception {
    Map<MetricName, Metric> metrics = new LinkedHashMap<>();
    put(metrics, "records-lag", "consumer-fetch-manager-metrics", 42.0, "client-id", "c1", "topic", "t", "partition", "0");
    // Two Kafka metrics that map to the same series (tags beyond the labels differ): one series, or the
    // whole scrape would fail.
    put(metrics, "alive-stream-threads", "stream-metrics", 2.0, "client-id", "a");
    put(metrics, "alive-stream-threads", "stream-metrics", 2.0, "client-id", "b");
    put(metrics, "commit-latency-avg", "stream-thread-metrics", 250.0, "thread-id", "th-1");
    put(metrics, "commit-rate", "stream-thread-metrics", Double.NaN, "thread-id", "th-1");
    put(metrics, "unrelated", "stream-thread-metrics", 1.0, "thread-id", "th-1");

    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new KafkaStreamsMetrics(() -> metrics, () -> KafkaStreams.State.RUNNING));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    String text = out.toString(StandardCharsets.UTF_8);

    assertThat(text)
        .contains("driftwatch_kafka_consumer_records_lag{client_id=\"c1\",partition=\"0\",topic=\"t\"} 42.0")
        .contains("driftwatch_kafka_streams_commit_latency_seconds{thread_id=\"th-1\"} 0.25")
        .contains("driftwatch_kafka_streams_state{state=\"RUNNING\"} 1.0")
        .contains("driftwatch_kafka_streams_state{state=\"ERROR\"} 0.0")
        .doesNotContain("unrelated")
        .doesNotContain("commit_rate{");
    assertThat(text.lines().filter(l -> l.startsWith("driftwatch_kafka_streams_alive_threads ")).count()).isEqualTo(1);
  }

  private static void put(Map<MetricName, Metric> metrics, String name, String group, double value, String... tags) {
    Map<String, String> t = new LinkedHashMap<>();
    for (int i = 0; i < tags.length; i += 2) {
      t.put(tags[i], tags[i + 1]);
    }
    MetricName key = new MetricName(name, group, "", t);
    metrics.put(key, new Metric() {
      @Override
      public MetricName metricName() {
        return key;
      }

      @Override
      public Object metricValue() {
        return value;
      }
    });
  }
}
