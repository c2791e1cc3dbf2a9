package io.driftwatch.cli;

import io.driftwatch.contract.Topics;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.app.MonitorAppSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftwatch run}: the monitor alone, against an existing Kafka cluster, until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the Driftwatch monitor against an existing Kafka cluster: read token events from the tokens "
          + "topic, write scores and dead letters, serve Prometheus metrics and the web view. Instances started with "
          + "the same --application-id share the work by partition.",
      "Stop it with Ctrl-C (or SIGTERM); it commits and shuts down cleanly.",
      ""
    })
final class RunCommand implements Callable<Integer> {

  @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties applied to every client, e.g. security.protocol, sasl.*, ssl.* (a .properties file).")
  Path kafkaConfig;

  @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).",
      defaultValue = MonitorAppSettings.DEFAULT_APPLICATION_ID)
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Local state store directory (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.driftwatch/state")
  Path stateDir;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).",
      defaultValue = Topics.DEFAULT_PREFIX)
  String topicPrefix;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions of topics the monitor creates (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int partitions;

  @Option(names = "--replication-factor", paramLabel = "N",
      description = "Replication of created topics and internal topics (default: ${DEFAULT-VALUE}; use 3 on a production cluster).",
      defaultValue = "1")
  short replicationFactor;

  @Option(names = "--threads", paramLabel = "N", description = "Stream threads in this instance (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  int threads;

  @Option(names = "--metrics-host", paramLabel = "ADDRESS",
      description = "Address of the Prometheus endpoint (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes it to the network).",
      defaultValue = "127.0.0.1")
  String metricsHost;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "Prometheus endpoint port (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + MonitorAppSettings.DEFAULT_METRICS_PORT)
  int metricsPort;

  @Option(names = "--model-label-cap", paramLabel = "N",
      description = "Distinct model names kept as metric labels; the rest count as \"other\" (default: ${DEFAULT-VALUE}).", defaultValue = "50")
  int modelLabelCap;

  @Option(names = "--run-label-cap", paramLabel = "N",
      description = "Distinct run ids kept as metric labels; the rest count as \"other\" (default: ${DEFAULT-VALUE}).", defaultValue = "100")
  int runLabelCap;

  @Option(names = "--idle-timeout", paramLabel = "TIME", description = "Close generations silent this long (default: ${DEFAULT-VALUE}).",
      defaultValue = "60s")
  Duration idleTimeout;

  @Option(names = "--live-state-heap", paramLabel = "PERCENT", defaultValue = "" + MonitorSettings.DEFAULT_LIVE_STATE_HEAP_PERCENT,
      description = "Share of the heap (-Xmx) for open generations' states kept live between commits, shared by the "
          + "instance's stream tasks; the others wait in RocksDB and are decoded again at their next event. Raise it, or the "
          + "heap, when driftwatch_live_states_evicted_total keeps rising (docs/operations.md, Sizing) "
          + "(1 to " + MonitorSettings.MAX_LIVE_STATE_HEAP_PERCENT + "; default: ${DEFAULT-VALUE}).")
  int liveStateHeapPercent;

  @picocli.CommandLine.Mixin ScoringOptions scoring;

  @picocli.CommandLine.Mixin MonitorSemanticOptions semantic;

  @picocli.CommandLine.Mixin LoadSheddingOptions shedding;

  @picocli.CommandLine.Mixin BaselineOptions baseline;

  @picocli.CommandLine.Mixin AttributionOptions attribution;

  @picocli.CommandLine.Mixin WebOptions web;

  @picocli.CommandLine.Mixin ProbeOptions probe;

  @Override
  public Integer call() throws Exception {
    var probeSettings = probe.settings();
    if (threads < 1) {
      throw new UserFacingException("--threads must be at least 1, got " + threads);
    }
    CliChecks.positive("--idle-timeout", idleTimeout);
    if (liveStateHeapPercent < 1 || liveStateHeapPercent > MonitorSettings.MAX_LIVE_STATE_HEAP_PERCENT) {
      throw new UserFacingException("--live-state-heap must be 1 to " + MonitorSettings.MAX_LIVE_STATE_HEAP_PERCENT
          + " (percent of the heap), got " + liveStateHeapPercent);
    }
    // Before the model, the index or anything else: a wrong address fails in seconds, not after them.
    var kafkaProblem = KafkaCheck.problem(bootstrap, readKafkaConfig(), KafkaCheck.TIMEOUT);
    if (kafkaProblem.isPresent()) {
      throw new UserFacingException(kafkaProblem.get());
    }
    MonitorAppSettings settings = MonitorAppSettings.builder(bootstrap, stateDir)
        .applicationId(applicationId)
        .topics(Topics.withPrefix(topicPrefix))
        .partitions(partitions)
        .replicationFactor(replicationFactor)
        .streamThreads(threads)
        .metricsHost(metricsHost)
        .metricsPort(metricsPort)
        .modelLabelCap(modelLabelCap)
        .runLabelCap(runLabelCap)
        .monitor(MonitorSettings.DEFAULTS.withIdleTimeout(idleTimeout).withScoring(scoring.settings()).withBaseline(baseline.settings())
            .withLiveStateHeapPercent(liveStateHeapPercent))
        .kafkaOverrides(readKafkaConfig())
        .web(web.settings())
        .probe(probeSettings)
        .build();
    var matcher = attribution.open(System.out);
    SentenceEmbedder embedder = semantic.openBesideKafka(System.out);
    MonitorApp app;
    try {
      app = MonitorApp.start(settings.toBuilder().semantic(shedding.apply(semantic.scoring(embedder))).attribution(matcher).build());
    } catch (RuntimeException | InterruptedException e) {
      if (embedder != null) {
        embedder.close();
      }
      throw e;
    }
    if (embedder != null) {
      // On SIGTERM the stream threads finish their batches while the model still runs; the hook below
      // then finds the streams closed.
      MonitorApp running = app;
      SentenceEmbedder.stopBeforeExit(() -> running.streams().close(java.time.Duration.ofSeconds(30)));
    }
    System.out.printf("Driftwatch monitor running (application id %s)%n", settings.applicationId());
    System.out.printf("  Kafka    %s%n", bootstrap);
    System.out.printf("  topics   %s -> %s, dead letters %s%n", settings.topics().tokens(), settings.topics().scores(),
        settings.topics().deadLetters());
    System.out.printf("  metrics  %s%n", app.metricsUrl());
    app.webUrl().ifPresent(url -> System.out.printf("  web view %s%n", url));
    settings.probe().ifPresent(p -> System.out.printf("  probe    %s of generations to %s -> %s%n", p.rate(), p.endpoint(),
        settings.topics().radius()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      if (embedder != null) {
        embedder.close();
      }
      System.out.println("Driftwatch monitor stopped.");
      stopped.countDown();
    }, "driftwatch-run-shutdown"));
    stopped.await();
    return 0;
  }

  private Map<String, String> readKafkaConfig() {
    return KafkaConfigFile.read(kafkaConfig);
  }

}
