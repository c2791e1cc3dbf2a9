package io.driftwatch.streams.app;

import io.driftwatch.streams.DriftwatchTopology;
import io.driftwatch.streams.TopologyOptions;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.metrics.KafkaStreamsMetrics;
import io.driftwatch.streams.probe.LiveRadiusProbe;
import io.driftwatch.streams.probe.RadiusView;
import io.driftwatch.streams.web.WebServer;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running monitor: the Kafka Streams application over {@link DriftwatchTopology} and the
 * Prometheus endpoint that exposes its metrics. Works against any Kafka cluster; the demo points it at
 * the embedded broker.
 */
public final class MonitorApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MonitorApp.class);

  private final MonitorAppSettings settings;
  private final DriftwatchMetrics metrics;
  private final HTTPServer metricsServer;
  private final KafkaStreams streams;
  private final WebServer web;
  private final MonitorHealth health;
  /** Set once the streams run, when the settings ask for the live radius probe. */
  private volatile LiveRadiusProbe probe;

  /**
   * Not ready while the stream threads have not committed for this long with input waiting: well
   * above a commit interval (100 ms under exactly-once) and a long embedding batch, well below the
   * time an operator would notice by hand.
   */
  public static final Duration STUCK_AFTER = Duration.ofSeconds(60);

  private MonitorApp(MonitorAppSettings settings, DriftwatchMetrics metrics, HTTPServer metricsServer, KafkaStreams streams,
      WebServer web, MonitorHealth health) {
    this.health = health;
    this.settings = settings;
    this.metrics = metrics;
    this.metricsServer = metricsServer;
    this.streams = streams;
    this.web = web;
  }

  /**
   * Creates missing topics, starts the metrics endpoint and the streams application, and waits until the
   * application is running. Semantic scores and attribution run when the settings carry them.
   */
  public static MonitorApp start(MonitorAppSettings settings) throws InterruptedException {
    Map<String, Object> adminConfig = new HashMap<>(settings.kafkaOverrides());
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    adminConfig.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (Admin admin = Admin.create(adminConfig)) {
      TopicSetup.Report topics = TopicSetup.ensure(admin, settings.topics(), settings.partitions(), settings.replicationFactor());
      if (!topics.created().isEmpty()) {
        log.info("created topics {}", topics.created());
      }
    }

    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    DriftwatchMetrics metrics = new DriftwatchMetrics(registry, settings.modelLabelCap(), settings.runLabelCap());
    // The metrics endpoint also answers /health/live and /health/ready, once the health exists.
    java.util.concurrent.atomic.AtomicReference<MonitorHealth> healthRef = new java.util.concurrent.atomic.AtomicReference<>();
    HTTPServer server = startMetricsServer(settings, registry, exchange -> {
      MonitorHealth h = healthRef.get();
      if (h != null) {
        h.handler().handle(exchange);
        return;
      }
      byte[] body = "{\"live\":true,\"ready\":false,\"reasons\":[\"starting\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health/live") ? 200 : 503, body.length);
      try (var out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    WebServer web;
    try {
      web = settings.web().enabled() ? WebServer.bind(settings.web()) : null;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }

    Optional<RadiusView> radiusView = settings.probe().map(LiveRadiusProbe::newView);
    Properties properties = streamsProperties(settings);
    if (web != null) {
      // Tells the other instances where to ask for the generations this one holds.
      properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, web.advertised().host() + ":" + web.advertised().port());
    }
    TopologyOptions topology = new TopologyOptions(settings.topics(), settings.monitor(), metrics, settings.semantic(),
        settings.attribution(), web != null ? Optional.of(settings.web().view()) : Optional.empty());
    KafkaStreams streams = new KafkaStreams(DriftwatchTopology.build(topology), properties);
    // A failing record must not take the monitor down for good; Kafka Streams replaces the thread and
    // resumes from the last commit (exactly-once keeps the outputs consistent).
    streams.setUncaughtExceptionHandler(e -> {
      log.error("stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    registry.register(new KafkaStreamsMetrics(streams::metrics, streams::state));
    MonitorHealth health = MonitorHealth.start(streams, adminConfig, settings.bootstrapServers(), STUCK_AFTER);
    health.register(registry);
    healthRef.set(health);
    MonitorApp app = new MonitorApp(settings, metrics, server, streams, web, health);
    if (web != null) {
      web.start(streams, settings.monitor().baseline(), radiusView);
    }
    streams.start();
    if (!running.await(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      app.close();
      throw new IllegalStateException("the streams application did not reach RUNNING within "
          + settings.startTimeout().toSeconds() + " s; is Kafka reachable at " + settings.bootstrapServers() + "?");
    }
    if (settings.probe().isPresent()) {
      Map<String, Object> clientConfig = new HashMap<>(settings.kafkaOverrides());
      clientConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
      try {
        // Its own consumer group: the probe reads beside the streams application, never in its way.
        app.probe = LiveRadiusProbe.start(settings.probe().get(), settings.topics(), clientConfig,
            settings.applicationId() + "-radius-probe", metrics.probe(), radiusView.orElseThrow(), settings.startTimeout());
      } catch (RuntimeException | InterruptedException e) {
        app.close();
        throw e;
      }
    }
    log.info("monitor running: application id {}, metrics on {}{}", settings.applicationId(), app.metricsUrl(),
        web != null ? ", web view on " + web.url() : "");
    return app;
  }

  /** The Kafka Streams configuration the monitor runs with (also the baseline of the pipeline benchmark). */
  public static Properties streamsProperties(MonitorAppSettings settings) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
    // Opt in now to what Kafka 5.0 makes the default, rather than warn at every start.
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // The record cache holds the cached stores' writes between commits: the closed-generation ids and
    // the baselines (the open-generation store is written behind, uncached). A ceiling, not an
    // allocation; docs/operations.md counts it in the heap.
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
    // Lets a large generation state through to its changelog (see DriftwatchTopology.MAX_STATE_BYTES).
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), DriftwatchTopology.MAX_STATE_BYTES + 64 * 1024);
    p.putAll(settings.kafkaOverrides());
    return p;
  }

  private static HTTPServer startMetricsServer(MonitorAppSettings settings, PrometheusRegistry registry,
      com.sun.net.httpserver.HttpHandler otherPaths) {
    try {
      return HTTPServer.builder()
          .hostname(settings.metricsHost())
          .port(settings.metricsPort())
          .registry(registry)
          .defaultHandler(otherPaths)
          .buildAndStart();
    } catch (BindException e) {
      throw new IllegalStateException("cannot serve metrics on " + settings.metricsHost() + ":" + settings.metricsPort()
          + ": the port is in use; choose another with --metrics-port", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serve metrics on " + settings.metricsHost() + ":" + settings.metricsPort()
          + ": " + e.getMessage(), e);
    }
  }

  /** Where Prometheus scrapes this instance. */
  public String metricsUrl() {
    return "http://" + settings.metricsHost() + ":" + metricsServer.getPort() + "/metrics";
  }

  public int metricsPort() {
    return metricsServer.getPort();
  }

  /** The web view's address, when it is on. */
  public java.util.Optional<String> webUrl() {
    return java.util.Optional.ofNullable(web).map(WebServer::url);
  }

  /** The web view's port, or -1 when it is off. */
  public int webPort() {
    return web == null ? -1 : web.port();
  }

  /** The Kafka Streams application, for callers that query its stores or metadata (tests, tools). */
  public KafkaStreams streams() {
    return streams;
  }

  public DriftwatchMetrics metrics() {
    return metrics;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Liveness and readiness, as /health/live and /health/ready answer them. */
  public MonitorHealth.Report health() {
    return health.report();
  }

  /** The live radius probe, when it runs. */
  public Optional<LiveRadiusProbe> probe() {
    return Optional.ofNullable(probe);
  }

  @Override
  public void close() {
    if (probe != null) {
      probe.close();
    }
    if (web != null) {
      web.close();
    }
    // Streams first, so its last commit and the final metrics happen while the endpoint still answers.
    if (!streams.close(Duration.ofSeconds(30))) {
      log.warn("the streams application did not stop within 30 s");
    }
    health.close();
    metricsServer.close();
  }
}
