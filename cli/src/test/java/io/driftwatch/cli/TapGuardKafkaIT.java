package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import io.driftwatch.producers.tap.AlertStops;
import io.driftwatch.producers.tap.GuardSettings;
import io.driftwatch.producers.tap.InFlightGenerations;
import io.driftwatch.producers.tap.TapContext;
import io.driftwatch.producers.tap.TapMetrics;
import io.driftwatch.producers.tap.TapServer;
import io.driftwatch.producers.tap.TapSettings;
import io.driftwatch.producers.text.SimpleTokenizer;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.guard.GuardEvaluator;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.app.MonitorAppSettings;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard's Kafka path with the real monitor: the tap publishes an endless loop (or a paste of an
 * indexed book), the monitor raises its loop (verbatim_copy) alert on the alerts topic, the tap reads
 * it (read_committed) and stops the stream; and with Kafka unreachable the tap relays on and its
 * in-process guard still stops a loop.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TapGuardKafkaIT {

  private static final String OPENING = "The migration moves the billing tables to the new cluster and keeps the old one readable "
      + "for a week. Before the switch, the export of each ledger is checked against its row count. ";
  private static final String LOOP = "Retry the export of the ledger table. ";
  private static EndlessOpenAiServer upstream;

  @BeforeAll
  static void start() throws Exception {
    TapServer.disableNagle();
    List<String> opening = SimpleTokenizer.tokenize(OPENING);
    List<String> loop = SimpleTokenizer.tokenize(LOOP);
    upstream = new EndlessOpenAiServer(() -> new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public String next() {
        int at = i++;
        return at < opening.size() ? opening.get(at) : loop.get((at - opening.size()) % loop.size());
      }
    }, 100_000, Duration.ofSeconds(60), 2000);
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @Test
  void theMonitorsLoopAlertStopsTheStreamThroughKafka(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    upstream.reset();
    Topics topics = Topics.withPrefix("guardk.");
    MonitorAppSettings monitorSettings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("guard-kafka-it").topics(topics).metricsPort(0).build();
    // Kafka path only: the in-process guard is off, so only the monitor's alert can stop the stream.
    InFlightGenerations inFlight = new InFlightGenerations();
    GuardSettings guard = new GuardSettings(Set.of("loop"), GuardSettings.DEFAULT_FINISH_REASON, false, null, inFlight);
    try (MonitorApp monitor = MonitorApp.start(monitorSettings);
         TokenStreamPublisher publisher = TokenStreamPublisher.connect(kafka.bootstrapServers(), topics.tokens(), 100_000, Map.of())) {
      TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), publisher::stats);
      try (AlertStops stops = AlertStops.start(kafka.bootstrapServers(), Map.of(), topics.alerts(), guard.rules(), inFlight, metrics,
              Clock.systemUTC());
           TapServer tap = TapServer.start(TapSettings.defaults(upstream.uri()).withBind("127.0.0.1", 0).withThreads(8), publisher,
               metrics, new TapContext("guard-kafka-it", Map.of()), guard)) {
        awaitKafkaUp(metrics);
        TapGuardIT.Streamed result = TapGuardIT.viaOpenAiClient(tap.url(), null);

        assertThat(upstream.awaitClosedByClient(10)).as("the upstream saw its connection closed").isTrue();
        assertThat(result.finishReason()).isEqualTo("content_filter");
        assertThat(result.guardField()).containsEntry("rule", "loop").containsEntry("path", "kafka");
        long tripSeq = ((Number) result.guardField().get("seq")).longValue();
        assertThat(tripSeq).isGreaterThan(SimpleTokenizer.tokenize(OPENING).size());
        assertThat(result.contentChunks()).isGreaterThan(tripSeq);

        GenerationEvent.End end = TapGuardIT.endOf(kafka.bootstrapServers(), topics.tokens(), upstream.lastResponseId() + ":0");
        assertThat(end.guard().path()).isEqualTo(GenerationEvent.Guard.KAFKA);
        assertThat(end.guard().action()).isEqualTo(GenerationEvent.Guard.STOPPED);
        assertThat(scrape(metrics)).contains("driftwatch_tap_guard_trips_total{action=\"stopped\",path=\"kafka\",rule=\"loop\"} 1.0")
            .contains("driftwatch_tap_guard_kafka_up 1.0");
        assertThat(inFlight.size()).isZero();
        // The monitor read the stop from the end event: its dashboards count stops by rule, path and action.
        awaitMonitorMetric(monitor, "driftwatch_guard_stops_total{action=\"stopped\",model=\"gpt-4o-mini-2024-07-18\",path=\"kafka\","
            + "rule=\"loop\"} 1.0");
      }
    }
  }

  /** A verbatim paste of an indexed book, decided by the monitor's attribution (its own index), stopped through Kafka. */
  @Test
  void theMonitorsVerbatimCopyAlertStopsAPasteThroughKafka(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    String book = String.join("\n\n", io.driftwatch.producers.calibration.Books.paragraphs("pride_and_prejudice"));
    new io.driftwatch.attribution.IndexBuilder(dir.resolve("index")).addText("pride_and_prejudice.txt", book).build();
    io.driftwatch.scoring.attribution.AttributionScoring attribution = new io.driftwatch.scoring.attribution.AttributionScoring(
        new io.driftwatch.attribution.StreamingMatcher(io.driftwatch.attribution.AttributionIndex.open(dir.resolve("index")),
            io.driftwatch.attribution.MatchSettings.DEFAULTS));
    String whole = io.driftwatch.producers.calibration.Books.text("pride_and_prejudice");
    String pasted = whole.substring(whole.indexOf("It is a truth universally acknowledged")).replaceAll("\\s+", " ");
    List<String> paste = SimpleTokenizer.tokenize("Here is a passage I wrote myself about a wedding: " + pasted);
    try (EndlessOpenAiServer server = new EndlessOpenAiServer(() -> paste.iterator(), 100_000, Duration.ofSeconds(60), 2000)) {
      Topics topics = Topics.withPrefix("guardv.");
      MonitorAppSettings monitorSettings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
          .applicationId("guard-verbatim-it").topics(topics).metricsPort(0).attribution(attribution).build();
      InFlightGenerations inFlight = new InFlightGenerations();
      GuardSettings guard = new GuardSettings(Set.of("verbatim_copy"), GuardSettings.DEFAULT_FINISH_REASON, false, null, inFlight);
      try (MonitorApp monitor = MonitorApp.start(monitorSettings);
           TokenStreamPublisher publisher = TokenStreamPublisher.connect(kafka.bootstrapServers(), topics.tokens(), 100_000, Map.of())) {
        TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), publisher::stats);
        try (AlertStops stops = AlertStops.start(kafka.bootstrapServers(), Map.of(), topics.alerts(), guard.rules(), inFlight, metrics,
                Clock.systemUTC());
             TapServer tap = TapServer.start(TapSettings.defaults(server.uri()).withBind("127.0.0.1", 0).withThreads(8), publisher,
                 metrics, new TapContext("guard-verbatim-it", Map.of()), guard)) {
          awaitKafkaUp(metrics);
          TapGuardIT.Streamed result = TapGuardIT.viaOpenAiClient(tap.url(), null);
          assertThat(server.awaitClosedByClient(10)).as("the upstream saw its connection closed").isTrue();
          assertThat(result.finishReason()).isEqualTo("content_filter");
          assertThat(result.guardField()).containsEntry("rule", "verbatim_copy").containsEntry("path", "kafka");
          assertThat(result.contentChunks()).isLessThan(paste.size());
          awaitMonitorMetric(monitor, "driftwatch_guard_stops_total{action=\"stopped\",model=\"gpt-4o-mini-2024-07-18\",path=\"kafka\","
              + "rule=\"verbatim_copy\"} 1.0");
        }
      }
    }
  }

  @Test
  void withKafkaDownTheTapRelaysAndTheInProcessGuardStillStops() throws Exception {
    upstream.reset();
    String nowhere = "127.0.0.1:" + freePort();
    InFlightGenerations inFlight = new InFlightGenerations();
    GuardEvaluator evaluator = new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS), Set.of("loop"));
    GuardSettings guard = new GuardSettings(Set.of("loop"), "length", false, GuardOptions.inProcess(evaluator), inFlight);
    try (TokenStreamPublisher publisher = TokenStreamPublisher.connect(nowhere, "down.tokens", 1000,
        Map.of("max.block.ms", 200, "delivery.timeout.ms", 1000, "request.timeout.ms", 500))) {
      TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), publisher::stats);
      try (AlertStops stops = AlertStops.start(nowhere, Map.of(), "down.alerts", guard.rules(), inFlight, metrics, Clock.systemUTC());
           TapServer tap = TapServer.start(TapSettings.defaults(upstream.uri()).withBind("127.0.0.1", 0).withThreads(8), publisher,
               metrics, new TapContext("guard-down-it", Map.of()), guard)) {
        TapGuardIT.Streamed result = TapGuardIT.viaOpenAiClient(tap.url(), null);
        assertThat(upstream.awaitClosedByClient(10)).isTrue();
        assertThat(result.finishReason()).isEqualTo("length"); // the configured finish reason
        assertThat(result.guardField()).containsEntry("rule", "loop").containsEntry("path", "in_process");
        assertThat(scrape(metrics)).contains("driftwatch_tap_guard_kafka_up 0.0")
            .contains("driftwatch_tap_guard_trips_total{action=\"stopped\",path=\"in_process\",rule=\"loop\"} 1.0");
      }
    }
  }

  private static void awaitMonitorMetric(MonitorApp monitor, String line) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + monitor.metricsPort() + "/metrics");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      if (body.contains(line)) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(body).contains(line);
  }

  private static void awaitKafkaUp(TapMetrics metrics) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!scrape(metrics).contains("driftwatch_tap_guard_kafka_up 1.0")) {
      assertThat(System.nanoTime()).as("the alerts topic became readable").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  static String scrape(TapMetrics metrics) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
