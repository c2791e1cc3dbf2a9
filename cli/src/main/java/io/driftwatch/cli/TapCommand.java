package io.driftwatch.cli;

import io.driftwatch.contract.Topics;
import io.driftwatch.producers.sdk.Chunking;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import io.driftwatch.producers.tap.AlertStops;
import io.driftwatch.producers.tap.GuardSettings;
import io.driftwatch.producers.tap.TapContext;
import io.driftwatch.producers.tap.TapHealth;
import io.driftwatch.producers.tap.TapMetrics;
import io.driftwatch.producers.tap.TapServer;
import io.driftwatch.producers.tap.TapSettings;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftwatch tap}: a proxy in front of an OpenAI-compatible server that publishes what passes through. */
@Command(
    name = "tap",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Put Driftwatch in front of any OpenAI-compatible server (OpenAI, vLLM, llama.cpp, Ollama, a gateway) without changing "
          + "the application: point its base URL at the tap instead. The tap relays every request and response unchanged, "
          + "byte for byte and as they stream, and publishes the generations of POST /v1/chat/completions and "
          + "/v1/completions as token events (prompt, tokens with logprobs, finish reason) to the tokens topic.",
      "Credentials (Authorization, api-key, ...) go upstream and nowhere else. If Kafka is slow or down the traffic is not "
          + "held up: events are buffered, then dropped and counted. Stop it with Ctrl-C.",
      ""
    },
    footer = {"", "Example: driftwatch tap --upstream https://api.openai.com --bootstrap localhost:9092",
        "         then OPENAI_BASE_URL=http://127.0.0.1:8787/v1 python app.py", "Details: docs/tap.md"})
final class TapCommand implements Callable<Integer> {

  /** Attributes the tap sets on every start event; --attribute cannot take their names. */
  private static final Set<String> TAP_ATTRIBUTES = Set.of("path", "endpoint", "stream", "request_model");

  @Option(names = "--upstream", required = true, paramLabel = "URL",
      description = "The OpenAI-compatible server to relay to, without /v1: the client's path is appended (e.g. https://api.openai.com).")
  String upstream;

  @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(names = "--port", paramLabel = "PORT", description = "Port the tap listens on (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + TapSettings.DEFAULT_PORT)
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "Address the tap listens on (default: ${DEFAULT-VALUE}). Clients send their API keys to the tap in plain HTTP: "
          + "bind another address only on a network you trust.",
      defaultValue = TapSettings.DEFAULT_BIND)
  String bind;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).",
      defaultValue = Topics.DEFAULT_PREFIX)
  String topicPrefix;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id of the published generations (default: ${DEFAULT-VALUE}).",
      defaultValue = TapContext.DEFAULT_RUN_ID)
  String runId;

  @Option(names = "--attribute", paramLabel = "KEY=VALUE",
      description = "A label added to every published generation, e.g. --attribute deployment=prod (repeatable).")
  Map<String, String> attributes = new LinkedHashMap<>();

  @Option(names = "--buffer-events", paramLabel = "N",
      description = "Events buffered while Kafka is slow or down; beyond that they are dropped and counted (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + TokenStreamPublisher.DEFAULT_BUFFER_EVENTS)
  int bufferEvents;

  @Option(names = "--chunk-linger", paramLabel = "TIME",
      description = "How long a token read from a stream may wait for the next of its generation, so that several go to Kafka "
          + "as one chunk event; each chunk is also sent before its generation's end and at 512 tokens. 0 publishes one event "
          + "per token (default: ${DEFAULT-VALUE}).",
      defaultValue = "20ms")
  Duration chunkLinger;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka producer properties, e.g. security.protocol, sasl.*, ssl.* (a .properties file).")
  Path kafkaConfig;

  @Option(names = "--metrics-host", paramLabel = "ADDRESS", description = "Address of the tap's Prometheus endpoint (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String metricsHost;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "Port of the tap's Prometheus endpoint (default: ${DEFAULT-VALUE}).",
      defaultValue = "9465")
  int metricsPort;

  @Option(names = "--threads", paramLabel = "N",
      description = "Requests relayed at once; a streaming response holds one for as long as it streams (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + TapSettings.DEFAULT_THREADS)
  int threads;

  @Option(names = "--connect-timeout", paramLabel = "TIME",
      description = "How long to wait for a connection to the upstream before answering 502 (default: ${DEFAULT-VALUE}).",
      defaultValue = "10s")
  Duration connectTimeout;

  @picocli.CommandLine.Mixin GuardOptions guardOptions;

  @picocli.CommandLine.Mixin ScoringOptions scoring;

  @picocli.CommandLine.Mixin AttributionOptions attribution;

  @Override
  public Integer call() throws Exception {
    TapSettings settings = settings();
    TapContext context = context();
    ScoringSettings scoringSettings = scoring.settings();
    java.util.Optional<GuardSettings> guard = guardOptions.settings(scoringSettings,
        guardOptions.rules.isEmpty() ? null : attribution.open(System.out));
    Topics topics = Topics.withPrefix(topicPrefix);
    warnIfExposed(settings.bindHost());
    if (bufferEvents < 1) {
      throw new UserFacingException("--buffer-events must be at least 1");
    }
    if (chunkLinger.isNegative()) {
      throw new UserFacingException("--chunk-linger must not be negative");
    }

    // The tap fails open: without Kafka it still relays every request (the events are dropped and
    // counted), so an unreachable Kafka is said once here and the tap starts anyway.
    java.util.Optional<String> kafkaProblem = KafkaCheck.problem(bootstrap, readKafkaConfig(), KafkaCheck.TIMEOUT);
    kafkaProblem.ifPresent(problem -> System.err.println(
        "warning: " + problem + "; the tap starts anyway and relays requests, their token events are dropped until Kafka answers"));
    java.util.concurrent.atomic.AtomicBoolean relaying = new java.util.concurrent.atomic.AtomicBoolean();
    TapHealth health = TapHealth.start(bootstrap, readKafkaConfig(), relaying::get, kafkaProblem.orElse(null));

    // Before any JDK HTTP server exists in this process, the metrics endpoint's included (see disableNagle).
    TapServer.disableNagle();
    TokenStreamPublisher publisher = TokenStreamPublisher.connect(bootstrap, topics.tokens(), bufferEvents, Chunking.linger(chunkLinger),
        new HashMap<>(readKafkaConfig()));
    TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), publisher::stats);
    HTTPServer metricsServer;
    TapServer tap;
    try {
      metricsServer = serveMetrics(metrics, health);
    } catch (RuntimeException e) {
      health.close();
      publisher.close(Duration.ZERO);
      throw e;
    }
    try {
      tap = TapServer.start(settings, publisher, metrics, context, guard.orElse(null));
    } catch (BindException e) {
      health.close();
      metricsServer.close();
      publisher.close(Duration.ZERO);
      throw new UserFacingException("cannot listen on " + settings.bindHost() + ":" + settings.port() + " (" + e.getMessage()
          + "); choose another --port or --bind");
    }

    // The guard's Kafka path: alerts the monitor publishes for the streams in flight (fails open, see AlertStops).
    AlertStops alertStops = guard.filter(g -> g.inFlight() != null)
        .map(g -> AlertStops.start(bootstrap, readKafkaConfig(), topics.alerts(), g.rules(), g.inFlight(), metrics,
            java.time.Clock.systemUTC()))
        .orElse(null);

    relaying.set(true);
    System.out.printf("Driftwatch tap listening on %s, relaying to %s%n", tap.url(), settings.upstream());
    System.out.printf("  monitored  POST /v1/chat/completions and /v1/completions; everything else passes through untouched%n");
    System.out.printf("  Kafka      %s, topic %s, run id %s%n", bootstrap, topics.tokens(), context.runId());
    guard.ifPresent(g -> System.out.printf("  guard      %s: %s%s%n", String.join(",", g.rules()),
        g.dryRun() ? "dry run, stops are recorded and nothing is stopped" : "stopped streams end with finish_reason " + g.finishReason(),
        g.inFlight() != null ? "; also on the monitor's alerts (" + topics.alerts() + ")" : ""));
    System.out.printf("  metrics    http://%s:%d/metrics (probes: /health/live, /health/ready)%n", metricsHost, metricsServer.getPort());
    System.out.printf("Point clients at %s/v1 (e.g. OPENAI_BASE_URL=%s/v1). Press Ctrl-C to stop.%n", tap.url(), tap.url());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // In-flight requests get a few seconds; the rest end as "disconnected". Then what is buffered goes to Kafka.
      relaying.set(false);
      tap.close(Duration.ofSeconds(5));
      if (alertStops != null) {
        alertStops.close();
      }
      health.close();
      publisher.close(Duration.ofSeconds(10));
      metricsServer.close();
      TokenStreamPublisher.Stats stats = publisher.stats();
      System.out.printf("Driftwatch tap stopped: %,d requests, %,d generations; events published %,d (%,d tokens), dropped %,d, failed %,d.%n",
          metrics.requestCount(), metrics.generationCount(), stats.sent(), stats.tokensSent(), stats.dropped(), stats.failed());
      stopped.countDown();
    }, "driftwatch-tap-shutdown"));
    stopped.await();
    return 0;
  }

  private TapSettings settings() {
    URI uri;
    try {
      uri = new URI(upstream.trim());
    } catch (URISyntaxException e) {
      throw new UserFacingException("--upstream is not a URL; write for example https://api.openai.com");
    }
    CliChecks.positive("--connect-timeout", connectTimeout);
    CliChecks.port("--metrics-port", metricsPort);
    TapSettings settings;
    try {
      settings = new TapSettings(uri, bind, port, threads, connectTimeout);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage());
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.endsWith("/v1") || path.endsWith("/v1/")) {
      // Clients already send /v1/...; the tap appends their path, so /v1 here would double it.
      System.err.println("driftwatch: warning: the upstream URL ends with /v1, and clients' paths start with /v1: requests would go to "
          + "/v1/v1/...; you probably mean the URL without /v1");
    }
    return settings;
  }

  private TapContext context() {
    for (String key : attributes.keySet()) {
      if (TAP_ATTRIBUTES.contains(key)) {
        throw new UserFacingException("--attribute " + key + ": the tap sets " + key + " itself; choose another name");
      }
    }
    try {
      return new TapContext(runId, attributes);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException("--run-id: " + e.getMessage());
    }
  }

  private static void warnIfExposed(String bind) {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new UserFacingException("--bind " + bind + ": no such address on this machine");
    }
    if (!address.isLoopbackAddress()) {
      System.err.println("driftwatch: warning: --bind " + bind + " accepts connections from other machines. Clients send their API keys "
          + "to the tap in plain HTTP, and anyone who can reach it can use the upstream through it. Bind a loopback address unless "
          + "this network is trusted.");
    }
  }

  private HTTPServer serveMetrics(TapMetrics metrics, TapHealth health) {
    try {
      return metrics.serve(metricsHost, metricsPort, health.handler());
    } catch (BindException e) {
      throw new UserFacingException("cannot serve metrics on " + metricsHost + ":" + metricsPort + ": the port is in use; choose another with --metrics-port");
    } catch (IOException e) {
      throw new UserFacingException("cannot serve metrics on " + metricsHost + ":" + metricsPort + ": " + e.getMessage());
    }
  }

  private Map<String, String> readKafkaConfig() {
    return KafkaConfigFile.read(kafkaConfig);
  }

}
