package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.embeddings.EmbeddingModel;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.app.MonitorAppSettings;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring path for real: drifting generations through the monitor on a real broker, a real
 * Prometheus (Debian's binary) scraping it with the shipped configuration and rules, and a real
 * Alertmanager delivering to a webhook in this test. Every expression of every shipped dashboard panel
 * and every recording rule must return data, and the drift alert must reach the webhook.
 *
 * <p>Time is compressed: scrape and evaluation every 2 seconds, and the rules' {@code for:} durations
 * shortened to 5 s; the expressions themselves are the shipped ones.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PrometheusAlertmanagerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

  @Test
  void dashboardsAndRulesReturnDataAndTheDriftAlertIsDelivered(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    String prometheusBinary = Binaries.find("prometheus").orElse(null);
    String alertmanagerBinary = Binaries.find("prometheus-alertmanager", "alertmanager").orElse(null);
    assumeTrue(prometheusBinary != null, "prometheus is not installed; install it with: apt-get install -y prometheus");
    assumeTrue(alertmanagerBinary != null,
        "alertmanager is not installed; install it with: apt-get install -y prometheus-alertmanager");

    List<String> delivered = new CopyOnWriteArrayList<>();
    HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhook.createContext("/hook", exchange -> {
      delivered.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    webhook.start();

    Topics topics = Topics.withPrefix("prom-it.");
    // Rules that fire on nearly every drifting generation: this test is about the path from the monitor
    // to the webhook, not about thresholds (those are measured by `driftwatch bench alerts`).
    List<AlertRule> alertRules = List.of(
        new AlertRule("topic_shift", "topic_shift", 0.0, -1.0, 1, 2),
        new AlertRule("entity_shift", "entity_shift", 0.0, -1.0, 1, 2),
        new AlertRule("loop", "loop_repeats", 3.0, 1.5, 1, 2));
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("prom-it").topics(topics).metricsPort(0)
        // A baseline ready after one generation per model and task, so the population-drift counters move.
        .monitor(MonitorSettings.DEFAULTS.withScoring(ScoringSettings.DEFAULTS.withAlertRules(alertRules))
            .withBaseline(new BaselineSettings(1, null, Map.of())))
        .build();
    Process alertmanager = null;
    try (SentenceEmbedder embedder = SentenceEmbedder.open(EmbeddingModel.bundled());
        MonitorApp app = MonitorApp.start(settings.toBuilder().semantic(SemanticScoring.of(embedder::embed)).build())) {
      int alertmanagerPort = freePort();
      alertmanager = startAlertmanager(alertmanagerBinary, dir.resolve("alertmanager"), alertmanagerPort, webhook.getAddress().getPort());
      try (LocalPrometheus prometheus = LocalPrometheus.start(prometheusBinary, new LocalPrometheus.Options(dir.resolve("prometheus"),
          app.metricsPort(), freePort(), Duration.ofSeconds(2), alertmanagerPort,
          rules -> rules.replaceAll("for: \\d+m", "for: 5s")))) {
        produce(kafka, topics);

        List<String> expressions = new ArrayList<>(dashboardExpressions());
        expressions.addAll(recordingRuleExpressions(prometheus));
        assertThat(expressions).hasSizeGreaterThan(30);
        List<String> empty = awaitData(prometheus, expressions, Duration.ofSeconds(90));
        assertThat(empty).as("expressions that returned no data (Prometheus log: %s)", prometheus.logFile()).isEmpty();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (delivered.stream().noneMatch(d -> d.contains("DriftwatchDriftAlertsHigh")) && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        assertThat(delivered).as("notifications delivered by Alertmanager: %s%nPrometheus alerts: %s%nAlertmanager log: %s",
            delivered, get(prometheus.url() + "/api/v1/alerts"), tail(dir.resolve("alertmanager").resolve("alertmanager.log")))
            .anySatisfy(d -> {
          JsonNode body = JSON.readTree(d);
          assertThat(body.path("status").asText()).isEqualTo("firing");
          assertThat(body.path("alerts").findValuesAsText("alertname")).contains("DriftwatchDriftAlertsHigh");
          assertThat(d).contains("\"severity\":\"warning\"", "docs/runbook.md#driftwatchdriftalertshigh");
        });
      }
    } finally {
      if (alertmanager != null) {
        alertmanager.destroy();
        alertmanager.waitFor(10, TimeUnit.SECONDS);
      }
      webhook.stop(0);
    }
  }

  /**
   * Mostly drifting generations, so the drift alert's share crosses one half, and one of each kind the
   * dashboards need: a loop (stopped by a guard), a dry-run guard decision, tokens with logprobs, a generation
   * without a start, and malformed records.
   * Paced over about half a minute, like live traffic: rate() needs counters to rise between scrapes,
   * and a series born at its final value in one burst never does.
   */
  private static void produce(EmbeddedKafkaBroker kafka, Topics topics) throws Exception {
    malformed(kafka, topics);
    DemoCorpus corpus = DemoCorpus.load();
    Random random = new Random(3);
    List<Scenario> plan = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      plan.add(i % 2 == 0 ? Scenario.TOPIC_DRIFT : Scenario.ENTITY_SWAP);
    }
    plan.add(Scenario.REPETITION_LOOP);
    plan.add(Scenario.STEADY);
    try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
      int n = 0;
      for (Scenario scenario : plan) {
        Scenario.Script script = scenario.script(corpus, random, 480);
        String id = "prom-" + n;
        boolean withStart = n != plan.size() - 1;
        if (withStart) {
          producer.send(new GenerationEvent.Start(1, id, "prom-run", "model-" + (n % 2), script.prompt(), null, Map.of(), T0));
        }
        for (int seq = 0; seq < script.tokens().size(); seq++) {
          producer.send(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, -0.2 - random.nextDouble() * 3,
              null, T0.plusMillis(25L * seq)));
        }
        producer.send(new GenerationEvent.End(1, id, "length", T0.plusSeconds(15), guardDecision(scenario, n, script.tokens().size())));
        producer.flush();
        n++;
        Thread.sleep(1_500);
      }
    }
    malformed(kafka, topics);
  }

  /** What a guarding tap would have put on the end event: a stopped loop, and a drift recorded in a dry run. */
  private static GenerationEvent.Guard guardDecision(Scenario scenario, int n, int tokens) {
    if (scenario == Scenario.REPETITION_LOOP) {
      return new GenerationEvent.Guard("loop", GenerationEvent.Guard.IN_PROCESS, GenerationEvent.Guard.STOPPED, tokens - 3L, 2L, 300L);
    }
    if (n == 1) {
      return new GenerationEvent.Guard("entity_shift", GenerationEvent.Guard.KAFKA, GenerationEvent.Guard.DRY_RUN, tokens / 2L,
          tokens / 2L - 1, null);
    }
    return null;
  }

  private static void malformed(EmbeddedKafkaBroker kafka, Topics topics) throws Exception {
    try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topics.tokens(), "bad".getBytes(UTF_8), "{not json".getBytes(UTF_8))).get();
    }
  }

  /** Every expression of every shipped dashboard, with the variables set to "all". */
  private static Set<String> dashboardExpressions() throws IOException {
    Set<String> out = new LinkedHashSet<>();
    try (Stream<Path> files = Files.list(Path.of("..", "dashboards", "grafana", "dashboards"))) {
      for (Path file : files.toList()) {
        for (JsonNode expr : JSON.readTree(file.toFile()).findValues("expr")) {
          out.add(expr.asText().replace("$model", ".*").replace("$run", ".*").replace("$__rate_interval", "1m"));
        }
      }
    }
    return out;
  }

  private static List<String> recordingRuleExpressions(LocalPrometheus prometheus) throws Exception {
    JsonNode groups = get(prometheus.url() + "/api/v1/rules?type=record").path("data").path("groups");
    List<String> out = new ArrayList<>();
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        out.add(rule.path("query").asText());
      }
    }
    assertThat(out).as("recording rules loaded").isNotEmpty();
    return out;
  }

  /** Polls each expression until it returns data; returns those that never did. */
  private static List<String> awaitData(LocalPrometheus prometheus, List<String> expressions, Duration timeout) throws Exception {
    List<String> pending = new ArrayList<>(expressions);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      List<String> still = new ArrayList<>();
      for (String expr : pending) {
        JsonNode result = get(prometheus.url() + "/api/v1/query?query=" + URLEncoder.encode(expr, UTF_8)).path("data").path("result");
        if (result.isEmpty()) {
          still.add(expr);
        }
      }
      pending = still;
      if (!pending.isEmpty()) {
        Thread.sleep(1_000);
      }
    }
    return pending;
  }

  private static JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static Process startAlertmanager(String binary, Path dir, int port, int webhookPort) throws Exception {
    Files.createDirectories(dir);
    Path config = Files.writeString(dir.resolve("alertmanager.yml"), """
        route:
          receiver: test
          group_by: [alertname]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: test
            webhook_configs:
              - url: http://127.0.0.1:%d/hook
        """.formatted(webhookPort));
    Process process = new ProcessBuilder(binary, "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return process;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      assertThat(process.isAlive()).as("alertmanager is running; log in " + dir.resolve("alertmanager.log")).isTrue();
      Thread.sleep(200);
    }
    throw new IllegalStateException("alertmanager did not become ready; log in " + dir.resolve("alertmanager.log"));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
