package io.driftwatch.streams.app;

import io.driftwatch.contract.Topics;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.web.WebSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to run the monitor application.
 *
 * @param bootstrapServers the Kafka cluster
 * @param applicationId the Kafka Streams application id: instances with the same id share the work
 * @param stateDir where the state stores live on local disk
 * @param partitions partitions of topics the monitor creates (the tokens topic's count caps parallelism)
 * @param replicationFactor replication of created topics and of the application's internal topics
 * @param metricsHost address of the Prometheus endpoint (127.0.0.1 by default: expose it on purpose)
 * @param metricsPort port of the Prometheus endpoint; 0 picks a free one
 * @param modelLabelCap distinct model label values before the rest are counted as "other"
 * @param runLabelCap distinct run label values before the rest are counted as "other"
 * @param kafkaOverrides any Kafka Streams or client property, applied last
 * @param web the web view and its JSON API ({@link WebSettings#DISABLED} for none)
 */
public record MonitorAppSettings(
    String bootstrapServers,
    String applicationId,
    Path stateDir,
    Topics topics,
    int partitions,
    short replicationFactor,
    int streamThreads,
    String metricsHost,
    int metricsPort,
    int modelLabelCap,
    int runLabelCap,
    MonitorSettings monitor,
    Duration startTimeout,
    Map<String, String> kafkaOverrides,
    WebSettings web) {

  public static final String DEFAULT_APPLICATION_ID = "driftwatch";
  public static final int DEFAULT_METRICS_PORT = 9464;
  /** Port of the web view and its JSON API (docs/web.md). */
  public static final int DEFAULT_WEB_PORT = WebSettings.DEFAULT_PORT;

  public MonitorAppSettings {
    kafkaOverrides = Map.copyOf(kafkaOverrides);
    web = web == null ? WebSettings.DISABLED : web;
  }

  /** Settings without the web view. */
  public MonitorAppSettings(String bootstrapServers, String applicationId, Path stateDir, Topics topics, int partitions,
      short replicationFactor, int streamThreads, String metricsHost, int metricsPort, int modelLabelCap, int runLabelCap,
      MonitorSettings monitor, Duration startTimeout, Map<String, String> kafkaOverrides) {
    this(bootstrapServers, applicationId, stateDir, topics, partitions, replicationFactor, streamThreads, metricsHost, metricsPort,
        modelLabelCap, runLabelCap, monitor, startTimeout, kafkaOverrides, WebSettings.DISABLED);
  }

  /** Defaults for one instance against the given cluster: 3 partitions, replication 1, metrics on 9464, no web view. */
  public static MonitorAppSettings defaults(String bootstrapServers, Path stateDir) {
    return new MonitorAppSettings(bootstrapServers, DEFAULT_APPLICATION_ID, stateDir, Topics.defaults(), 3, (short) 1, 1,
        "127.0.0.1", DEFAULT_METRICS_PORT, DriftwatchMetrics.DEFAULT_MODEL_CAP, DriftwatchMetrics.DEFAULT_RUN_CAP, MonitorSettings.DEFAULTS,
        Duration.ofSeconds(60), Map.of());
  }

  public MonitorAppSettings withApplicationId(String id) {
    return new MonitorAppSettings(bootstrapServers, id, stateDir, topics, partitions, replicationFactor, streamThreads,
        metricsHost, metricsPort, modelLabelCap, runLabelCap, monitor, startTimeout, kafkaOverrides, web);
  }

  public MonitorAppSettings withTopics(Topics t) {
    return new MonitorAppSettings(bootstrapServers, applicationId, stateDir, t, partitions, replicationFactor, streamThreads,
        metricsHost, metricsPort, modelLabelCap, runLabelCap, monitor, startTimeout, kafkaOverrides, web);
  }

  public MonitorAppSettings withMetricsPort(int port) {
    return new MonitorAppSettings(bootstrapServers, applicationId, stateDir, topics, partitions, replicationFactor, streamThreads,
        metricsHost, port, modelLabelCap, runLabelCap, monitor, startTimeout, kafkaOverrides, web);
  }

  public MonitorAppSettings withMonitor(MonitorSettings m) {
    return new MonitorAppSettings(bootstrapServers, applicationId, stateDir, topics, partitions, replicationFactor, streamThreads,
        metricsHost, metricsPort, modelLabelCap, runLabelCap, m, startTimeout, kafkaOverrides, web);
  }

  public MonitorAppSettings withStreamThreads(int threads) {
    return new MonitorAppSettings(bootstrapServers, applicationId, stateDir, topics, partitions, replicationFactor, threads,
        metricsHost, metricsPort, modelLabelCap, runLabelCap, monitor, startTimeout, kafkaOverrides, web);
  }

  public MonitorAppSettings withWeb(WebSettings w) {
    return new MonitorAppSettings(bootstrapServers, applicationId, stateDir, topics, partitions, replicationFactor, streamThreads,
        metricsHost, metricsPort, modelLabelCap, runLabelCap, monitor, startTimeout, kafkaOverrides, w);
  }

  public MonitorAppSettings withKafkaOverrides(Map<String, String> overrides) {
    return new MonitorAppSettings(bootstrapServers, applicationId, stateDir, topics, partitions, replicationFactor, streamThreads,
        metricsHost, metricsPort, modelLabelCap, runLabelCap, monitor, startTimeout, overrides, web);
  }
}
