package io.driftwatch.cli;

import io.driftwatch.broker.BrokerSettings;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.contract.Score;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.DemoGenerator;
import io.driftwatch.producers.demo.DemoSettings;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.app.MonitorAppSettings;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftwatch demo}: the whole pipeline on one machine. An embedded Kafka broker, the monitor,
 * and a generator streaming labelled generations from public-domain books; a live summary on the
 * terminal and Prometheus metrics on 127.0.0.1.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the whole pipeline on this machine: an embedded Kafka broker, the Driftwatch monitor and a "
          + "generator that streams labelled generations (steady, topic-drift, repetition-loop, entity-swap, verbatim-copy) from "
          + "public-domain books. Prints where to look (the web view, metrics, topics), a live summary, and a report at the end.",
      "Runs until Ctrl-C, or for --duration.",
      ""
    })
final class DemoCommand implements Callable<Integer> {

  private static final List<String> DEMO_MODELS = List.of("demo-model-a", "demo-model-b");

  @Option(names = "--duration", paramLabel = "TIME", description = "Stop by itself after this long, e.g. 60s or 5m (default: run until Ctrl-C).")
  Duration duration;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of starting the embedded broker.")
  String bootstrap;

  @Option(names = "--kafka-port", paramLabel = "PORT",
      description = "Port of the embedded broker (default: 9092, or a free port if 9092 is taken).")
  Integer kafkaPort;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "Prometheus endpoint port on 127.0.0.1 (default: "
      + MonitorAppSettings.DEFAULT_METRICS_PORT + ", or a free port if it is taken; 0 picks a free one).")
  Integer metricsPort;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Keep broker data and state stores here (default: a temporary directory, deleted at exit).")
  Path dataDir;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).",
      defaultValue = Topics.DEFAULT_PREFIX)
  String topicPrefix;

  @Option(names = "--concurrency", paramLabel = "N", description = "Generations streaming at once (default: ${DEFAULT-VALUE}).", defaultValue = "6")
  int concurrency;

  @Option(names = "--tokens-per-second", paramLabel = "RATE", description = "Token rate of each generation (default: ${DEFAULT-VALUE}).", defaultValue = "40")
  double tokensPerSecond;

  @Option(names = "--tokens", paramLabel = "N", description = "Tokens per generation (default: ${DEFAULT-VALUE}).", defaultValue = "480")
  int tokensPerGeneration;

  @Option(names = "--idle-timeout", paramLabel = "TIME", description = "Close generations silent this long (default: ${DEFAULT-VALUE}).", defaultValue = "30s")
  Duration idleTimeout;

  @picocli.CommandLine.Mixin ScoringOptions scoring;

  @picocli.CommandLine.Mixin MonitorSemanticOptions semantic;

  @picocli.CommandLine.Mixin LoadSheddingOptions shedding;

  @picocli.CommandLine.Mixin BaselineOptions baseline;

  @picocli.CommandLine.Mixin AttributionOptions attribution;

  @picocli.CommandLine.Mixin WebOptions web;

  @Option(names = "--prometheus", description = "Also start a local Prometheus (from the Debian package prometheus) with the "
      + "shipped configuration and rules, scraping the demo.")
  boolean prometheus;

  @Option(names = "--prometheus-port", paramLabel = "PORT", description = "Port of that Prometheus on 127.0.0.1 (default: "
      + DEFAULT_PROMETHEUS_PORT + ", or a free port if it is taken).")
  Integer prometheusPort;

  static final int DEFAULT_PROMETHEUS_PORT = 9090;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the generator's choices (default: ${DEFAULT-VALUE}).", defaultValue = "2026")
  long seed;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    // The generator's settings and the timeout are checked before the broker and the model start.
    CliChecks.positive("--idle-timeout", idleTimeout);
    DemoSettings generatorSettings;
    try {
      generatorSettings = new DemoSettings("demo", concurrency, tokensPerSecond, tokensPerGeneration, DEMO_MODELS, seed);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException("--concurrency must be at least 1, --tokens-per-second above 0 and --tokens at least 8; got "
          + concurrency + ", " + tokensPerSecond + " and " + tokensPerGeneration);
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopRequested.countDown();
      awaitQuietly(cleanedUp, 60);
    }, "driftwatch-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    Deque<AutoCloseable> resources = new ArrayDeque<>();
    Path work = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("driftwatch-demo-");
    try {
      String bootstrapServers = bootstrap != null ? bootstrap : startBroker(work, resources);
      Topics topics = Topics.withPrefix(topicPrefix);
      MonitorAppSettings settings = MonitorAppSettings.builder(bootstrapServers, work.resolve("streams-state"))
          .topics(topics)
          .metricsPort(DemoPorts.orFree(metricsPort, MonitorAppSettings.DEFAULT_METRICS_PORT, "metrics endpoint", out))
          .web(webSettings())
          .monitor(MonitorSettings.DEFAULTS.withIdleTimeout(idleTimeout).withScoring(scoring.settings())
              .withBaseline(baseline.settings())).build();
      SentenceEmbedder embedder = semantic.openBesideKafka(out);
      if (embedder != null) {
        resources.push(embedder);
      }
      out.println("Starting the monitor (Kafka Streams application '" + settings.applicationId() + "')...");
      MonitorApp monitor = MonitorApp.start(
          settings.toBuilder().semantic(shedding.apply(semantic.scoring(embedder))).attribution(demoAttribution(work)).build());
      if (embedder != null) {
        // On Ctrl-C the demo drains, reports and closes everything while the model still runs, as its
        // shutdown hook would, before the exit holds back the model's calls.
        SentenceEmbedder.stopBeforeExit(() -> {
          stopRequested.countDown();
          awaitQuietly(cleanedUp, 60);
        });
      }
      resources.push(monitor);
      ScoreTail tail = new ScoreTail(bootstrapServers, topics.scores(), topics.alerts());
      resources.push(tail);

      String runId = "demo-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
      DriftwatchProducer producer = DriftwatchProducer.connect(bootstrapServers, topics.tokens());
      resources.push(producer);
      DemoGenerator generator = new DemoGenerator(producer, DemoCorpus.load(),
          generatorSettings.withRunId(runId));
      resources.push(generator);

      String prometheusUrl = prometheus ? startPrometheus(work, monitor.metricsPort(), resources) : null;
      printWhereToLook(bootstrapServers, topics, monitor, runId);
      if (prometheusUrl != null) {
        out.println("  Prometheus       " + prometheusUrl + " (graphs: " + prometheusUrl
            + "/graph?g0.expr=driftwatch%3Atokens%3Arate1m ; alerts: " + prometheusUrl + "/alerts)");
        out.println();
      }
      generator.start();
      long startedNanos = System.nanoTime();
      LiveStatus status = new LiveStatus(out, System.console() != null);
      boolean stoppedByUser = runUntilStopped(stopRequested, startedNanos, status, generator, monitor.metrics(), tail);
      status.finish();

      out.println(stoppedByUser ? "Stopping (Ctrl-C)..." : "Duration reached; stopping...");
      generator.close();
      drain(generator, monitor.metrics(), Duration.ofSeconds(stoppedByUser ? 5 : 20));
      printReport(Duration.ofNanos(System.nanoTime() - startedNanos), generator, monitor.metrics(), tail, topics);
      return 0;
    } finally {
      closeAll(resources);
      if (dataDir == null) {
        deleteRecursively(work);
      }
      cleanedUp.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down (Ctrl-C): the hook is running and waits for cleanedUp.
      }
    }
  }

  /**
   * The attribution of --index, or else of an index the demo builds of its reference book: the book
   * its verbatim-copy scenario pastes from, which no other scenario uses.
   */
  private io.driftwatch.scoring.attribution.AttributionScoring demoAttribution(Path work) throws IOException {
    if (attribution.index != null) {
      return attribution.open(out);
    }
    Path index = work.resolve("reference-index");
    DemoCorpus corpus = DemoCorpus.load();
    io.driftwatch.attribution.IndexBuilder builder = new io.driftwatch.attribution.IndexBuilder(index);
    corpus.references().forEach((name, text) -> {
      try {
        builder.addText(name, text);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    builder.build();
    return attribution.open(index, out);
  }

  /** The web view's settings; like the broker, it moves to a free port when its default one is taken. */
  private io.driftwatch.streams.web.WebSettings webSettings() {
    io.driftwatch.streams.web.WebSettings settings = web.settings();
    if (settings.enabled() && !web.portChosen() && EmbeddedKafkaBroker.inUse(settings.port())) {
      out.println("Port " + settings.port() + " is taken; the web view will use a free port instead.");
      return web.settings(0);
    }
    return settings;
  }

  private String startBroker(Path work, Deque<AutoCloseable> resources) {
    int port = kafkaPort != null ? kafkaPort : BrokerSettings.DEFAULT_PORT;
    if (kafkaPort == null && EmbeddedKafkaBroker.inUse(port)) {
      out.println("Port " + port + " is taken; the embedded broker will use a free port instead.");
      port = 0;
    }
    out.println("Starting the embedded Kafka broker...");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.inDirectory(work.resolve("kafka")).withPort(port));
    resources.push(broker);
    return broker.bootstrapServers();
  }

  /** Starts Prometheus when its binary is installed; says what to install otherwise. Returns its URL or null. */
  private String startPrometheus(Path work, int metricsPort, Deque<AutoCloseable> resources) throws IOException, InterruptedException {
    java.util.Optional<String> binary = Binaries.find("prometheus");
    if (binary.isEmpty()) {
      out.println("--prometheus: no prometheus binary on this machine; install it with: apt-get install prometheus");
      return null;
    }
    int port = DemoPorts.orFree(prometheusPort, DEFAULT_PROMETHEUS_PORT, "local Prometheus", out);
    if (port == 0) {
      port = DemoPorts.free();
    } else if (prometheusPort != null && EmbeddedKafkaBroker.inUse(port)) {
      out.println("--prometheus: port " + port + " is taken; choose another with --prometheus-port");
      return null;
    }
    out.println("Starting Prometheus with the shipped configuration and rules...");
    LocalPrometheus server = LocalPrometheus.start(binary.get(), new LocalPrometheus.Options(work.resolve("prometheus"), metricsPort,
        port, Duration.ofSeconds(5), 0, rules -> rules));
    resources.push(server);
    return server.url();
  }

  private void printWhereToLook(String bootstrapServers, Topics topics, MonitorApp monitor, String runId) {
    out.println();
    out.println("Driftwatch demo is running (run id " + runId + ").");
    out.println("  Kafka            " + bootstrapServers + (bootstrap == null ? " (embedded broker)" : ""));
    out.println("  topics           " + topics.tokens() + " -> " + topics.scores() + ", " + topics.alerts() + ", " + topics.spans()
        + ", dead letters " + topics.deadLetters());
    out.println("  metrics          " + monitor.metricsUrl());
    monitor.webUrl().ifPresent(url -> out.println("  web view         " + url + "  (open it in a browser)"));
    out.println("  read scores      kcat -C -b " + bootstrapServers + " -t " + topics.scores() + " -X isolation.level=read_committed");
    out.println("  " + (duration == null ? "Stop with Ctrl-C." : "Stops by itself after " + human(duration) + "; Ctrl-C stops it earlier."));
    out.println();
  }

  private boolean runUntilStopped(CountDownLatch stop, long startedNanos, LiveStatus status, DemoGenerator generator,
      DriftwatchMetrics metrics, ScoreTail tail) throws InterruptedException {
    long deadline = duration == null ? Long.MAX_VALUE : startedNanos + duration.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (stop.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
        return true;
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
      status.update(seconds, String.format(
          "[%4ds] tokens %,d sent, %,d scored | generations %d open, %,d closed | score records %,d | recent commitment %.2f,"
              + " referential drift %.2f%s | alerts %,d | dead letters %,d",
          seconds, generator.tokensSent(), metrics.tokensTotal(), metrics.activeGenerationsNow(), metrics.generationsClosedTotal(),
          tail.records(), tail.recentCommitment(), tail.recentReferentialDrift(),
          (semantic.enabled() ? String.format(", semantic drift %.2f, radius %.0f tok", tail.recentSemanticDrift(), tail.recentRadius()) : "")
              + String.format(", verbatim coverage %.2f", tail.recentCoverage()),
          metrics.alertsFiredTotal(), metrics.deadLettersTotal()));
    }
  }

  /** Waits until the monitor has closed every generation the generator started, so the report is whole. */
  private static void drain(DemoGenerator generator, DriftwatchMetrics metrics, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (metrics.generationsClosedTotal() < generator.generationsStarted() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private void printReport(Duration ran, DemoGenerator generator, DriftwatchMetrics metrics, ScoreTail tail, Topics topics)
      throws InterruptedException {
    // The tail reads committed records; give the last transaction a moment to land.
    Thread.sleep(500);
    out.println();
    out.println("Demo finished after " + human(ran) + ".");
    out.printf("  generations    %,d started, %,d closed by the monitor%n", generator.generationsStarted(), metrics.generationsClosedTotal());
    out.printf("  tokens         %,d sent, %,d scored%n", generator.tokensSent(), metrics.tokensTotal());
    out.printf("  score records  %,d read back from %s; %,d dead letters%n", tail.records(), topics.scores(), metrics.deadLettersTotal());

    printScenarioTable(generator.scenarios(), tail);
  }

  /**
   * What the scores said about each labelled scenario: the picture the demo exists to show. Means of
   * the summary records of completed generations, and the alerts they raised.
   */
  private void printScenarioTable(Map<String, Scenario> scenarios, ScoreTail tail) {
    Map<Scenario, List<ScoreRecord>> byScenario = new TreeMap<>(Comparator.comparing(Enum::ordinal));
    for (ScoreRecord summary : tail.summaries().values()) {
      Scenario scenario = scenarios.get(summary.generationId());
      if (scenario != null && "end:length".equals(summary.closeReason())) {
        byScenario.computeIfAbsent(scenario, s -> new java.util.ArrayList<>()).add(summary);
      }
    }
    if (byScenario.isEmpty()) {
      return;
    }
    Map<String, List<String>> fired = tail.firedRules();
    out.println();
    out.println("  What the scores said, by scenario label (means over completed generations; the shifts are each generation's highest; docs/scores.md):");
    out.printf("    %-16s %3s  %11s  %12s  %10s  %11s  %6s  %10s  %6s  %s%n", "scenario", "n", "topic shift", "entity shift",
        "commitment", "referential", "radius", "repetition", "cov12", "alerts fired");
    byScenario.forEach((scenario, summaries) -> {
      Map<String, Long> alerts = new TreeMap<>();
      summaries.forEach(s -> fired.getOrDefault(s.generationId(), List.of()).forEach(rule -> alerts.merge(rule, 1L, Long::sum)));
      out.printf("    %-16s %3d  %11s  %12s  %10s  %11s  %6s  %10s  %6s  %s%n", scenario.label(), summaries.size(),
          mean(summaries, Score.TOPIC_SHIFT.maxName()), mean(summaries, Score.ENTITY_SHIFT.maxName()), mean(summaries, Score.GLOBAL_COMMITMENT.wireName()),
          mean(summaries, Score.REFERENTIAL_DRIFT.wireName()), mean(summaries, Score.COHERENCE_RADIUS.wireName(), "%.0f"), mean(summaries, Score.REPETITION_RATE.wireName()),
          mean(summaries, Score.COVERAGE_12.wireName()), alerts.isEmpty() ? "-" : alerts.toString().replaceAll("[{}]", ""));
    });
  }

  private static String mean(List<ScoreRecord> summaries, String score) {
    return mean(summaries, score, "%.2f");
  }

  private static String mean(List<ScoreRecord> summaries, String score, String format) {
    double[] values = summaries.stream().map(s -> s.scores().get(score)).filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
    return values.length == 0 ? "-" : String.format(format, java.util.Arrays.stream(values).average().orElse(Double.NaN));
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        System.err.println("driftwatch: while stopping: " + e);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("driftwatch: could not delete " + dir + ": " + e.getMessage());
    }
  }

  private static void awaitQuietly(CountDownLatch latch, int seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String human(Duration d) {
    long s = Math.round(d.toMillis() / 1000.0);
    return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }
}
