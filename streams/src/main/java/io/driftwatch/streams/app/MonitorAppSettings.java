package io.driftwatch.streams.app;

import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.probe.LiveProbeSettings;
import io.driftwatch.streams.scoring.SemanticScoring;
import io.driftwatch.streams.web.WebSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the monitor application. Built with {@link #builder(String, Path)}, which holds every
 * default; {@link #toBuilder()} changes a few settings of an existing one.
 *
 * @param bootstrapServers the Kafka cluster
 * @param applicationId the Kafka Streams application id: instances with the same id share the work
 * @param stateDir where the state stores live on local disk
 * @param topics the topics the monitor reads and writes
 * @param partitions partitions of topics the monitor creates (the tokens topic's count caps parallelism)
 * @param replicationFactor replication of created topics and of the application's internal topics
 * @param streamThreads Kafka Streams threads of this instance
 * @param metricsHost address of the Prometheus endpoint (127.0.0.1 by default: expose it on purpose)
 * @param metricsPort port of the Prometheus endpoint; 0 picks a free one
 * @param modelLabelCap distinct model label values before the rest are counted as "other"
 * @param runLabelCap distinct run label values before the rest are counted as "other"
 * @param monitor what the topology scores and how long it keeps generations
 * @param startTimeout how long {@link MonitorApp#start} waits for the application to run
 * @param kafkaOverrides any Kafka Streams or client property, applied last
 * @param web the web view and its JSON API ({@link WebSettings#DISABLED} for none)
 * @param semantic the sentence encoder and its batching; empty: no semantic scores. The caller owns
 *     the encoder and closes it after the monitor
 * @param attribution matching against a reference index; empty: no attribution
 * @param probe the live radius probe beside the monitor; empty: none
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
    WebSettings web,
    Optional<SemanticScoring> semantic,
    Optional<AttributionScoring> attribution,
    Optional<LiveProbeSettings> probe) {

  public static final String DEFAULT_APPLICATION_ID = "driftwatch";
  public static final int DEFAULT_METRICS_PORT = 9464;
  /** Port of the web view and its JSON API (docs/web.md). */
  public static final int DEFAULT_WEB_PORT = WebSettings.DEFAULT_PORT;

  public MonitorAppSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(metricsHost, "metricsHost");
    Objects.requireNonNull(monitor, "monitor");
    Objects.requireNonNull(startTimeout, "startTimeout");
    kafkaOverrides = Map.copyOf(kafkaOverrides);
    web = web == null ? WebSettings.DISABLED : web;
    Objects.requireNonNull(semantic, "semantic");
    Objects.requireNonNull(attribution, "attribution");
    Objects.requireNonNull(probe, "probe");
  }

  /** Every setting at its default, against the given cluster and state directory. */
  public static Builder builder(String bootstrapServers, Path stateDir) {
    return new Builder(bootstrapServers, stateDir);
  }

  /** Defaults for one instance against the given cluster: see {@link Builder} for each default. */
  public static MonitorAppSettings defaults(String bootstrapServers, Path stateDir) {
    return builder(bootstrapServers, stateDir).build();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(bootstrapServers, stateDir)
        .applicationId(applicationId)
        .topics(topics)
        .partitions(partitions)
        .replicationFactor(replicationFactor)
        .streamThreads(streamThreads)
        .metricsHost(metricsHost)
        .metricsPort(metricsPort)
        .modelLabelCap(modelLabelCap)
        .runLabelCap(runLabelCap)
        .monitor(monitor)
        .startTimeout(startTimeout)
        .kafkaOverrides(kafkaOverrides)
        .web(web)
        .semantic(semantic.orElse(null))
        .attribution(attribution.orElse(null))
        .probe(probe.orElse(null));
  }

  /** The one place that holds the monitor application's defaults. */
  public static final class Builder {
    private String bootstrapServers;
    private Path stateDir;
    private String applicationId = DEFAULT_APPLICATION_ID;
    private Topics topics = Topics.defaults();
    private int partitions = 3;
    private short replicationFactor = 1;
    private int streamThreads = 1;
    private String metricsHost = "127.0.0.1";
    private int metricsPort = DEFAULT_METRICS_PORT;
    private int modelLabelCap = DriftwatchMetrics.DEFAULT_MODEL_CAP;
    private int runLabelCap = DriftwatchMetrics.DEFAULT_RUN_CAP;
    private MonitorSettings monitor = MonitorSettings.DEFAULTS;
    private Duration startTimeout = Duration.ofSeconds(60);
    private Map<String, String> kafkaOverrides = Map.of();
    private WebSettings web = WebSettings.DISABLED;
    private Optional<SemanticScoring> semantic = Optional.empty();
    private Optional<AttributionScoring> attribution = Optional.empty();
    private Optional<LiveProbeSettings> probe = Optional.empty();

    private Builder(String bootstrapServers, Path stateDir) {
      this.bootstrapServers = bootstrapServers;
      this.stateDir = stateDir;
    }

    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = servers;
      return this;
    }

    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    public Builder applicationId(String id) {
      this.applicationId = id;
      return this;
    }

    public Builder topics(Topics t) {
      this.topics = t;
      return this;
    }

    public Builder partitions(int count) {
      this.partitions = count;
      return this;
    }

    public Builder replicationFactor(short factor) {
      this.replicationFactor = factor;
      return this;
    }

    public Builder streamThreads(int threads) {
      this.streamThreads = threads;
      return this;
    }

    public Builder metricsHost(String host) {
      this.metricsHost = host;
      return this;
    }

    public Builder metricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    public Builder modelLabelCap(int cap) {
      this.modelLabelCap = cap;
      return this;
    }

    public Builder runLabelCap(int cap) {
      this.runLabelCap = cap;
      return this;
    }

    public Builder monitor(MonitorSettings m) {
      this.monitor = m;
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    public Builder kafkaOverrides(Map<String, String> overrides) {
      this.kafkaOverrides = overrides;
      return this;
    }

    public Builder web(WebSettings w) {
      this.web = w;
      return this;
    }

    /** @param s the sentence encoder and its batching; null: no semantic scores */
    public Builder semantic(SemanticScoring s) {
      this.semantic = Optional.ofNullable(s);
      return this;
    }

    /** @param a matching against a reference index; null: no attribution */
    public Builder attribution(AttributionScoring a) {
      this.attribution = Optional.ofNullable(a);
      return this;
    }

    /** @param p the live radius probe; null: none */
    public Builder probe(LiveProbeSettings p) {
      this.probe = Optional.ofNullable(p);
      return this;
    }

    public MonitorAppSettings build() {
      return new MonitorAppSettings(bootstrapServers, applicationId, stateDir, topics, partitions, replicationFactor,
          streamThreads, metricsHost, metricsPort, modelLabelCap, runLabelCap, monitor, startTimeout, kafkaOverrides, web,
          semantic, attribution, probe);
    }
  }
}
