package io.driftwatch.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.RadiusRecord;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.calibration.Books;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.scoring.radius.CharNgramModel;
import io.driftwatch.scoring.radius.FakeCompletionsServer;
import io.driftwatch.streams.metrics.RadiusProbeMetrics.Outcome;
import io.driftwatch.streams.probe.LiveProbeSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live radius probe against the real broker and a served model of known context order: passages of
 * a novel streamed as generations of one character per token, probed as they finish.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RadiusProbeIT {

  private static final int ORDER = 8;
  private static final int GENERATIONS = 24;
  /** Characters per generation: 128 of context for the ladder, then the 16 whose loss is measured. */
  private static final int LENGTH = 144;
  private static final int TARGET = 16;

  private static String corpus;
  private static FakeCompletionsServer server;

  @BeforeAll
  static void serve() throws Exception {
    corpus = Books.body("emma");
    server = new FakeCompletionsServer(new CharNgramModel(corpus));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyGenerationGetsARadiusRecordAndTheModelItsKnownRadius(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    String model = "order-" + ORDER;
    server.serve(model, ORDER);
    Topics topics = Topics.withPrefix("radius-it.");
    // A queue for all of them: they finish at once, and the default queue would shed some (counted as queue_full).
    LiveProbeSettings probe = LiveProbeSettings.defaults(server.uri(), 1).withLimits(1_000_000, 50)
        .withLadder(TARGET, 1, Duration.ofMillis(10), 2).withQueue(GENERATIONS);
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("radius-it").topics(topics).metricsPort(0).probe(probe)
        .web(io.driftwatch.streams.web.WebSettings.on("127.0.0.1", 0)).build();
    try (MonitorApp app = MonitorApp.start(settings)) {
      produce(kafka, topics, model, "r");

      List<RadiusRecord> records = read(kafka, topics.radius(), RadiusRecord.class, GENERATIONS, r -> true);
      assertThat(records).hasSize(GENERATIONS).allSatisfy(r -> {
        assertThat(r.model()).isEqualTo(model);
        assertThat(r.runId()).isEqualTo("it");
        assertThat(r.contexts()).containsExactly(1, 2, 4, 8, 16, 32, 64, LENGTH - TARGET);
        // The model looks ORDER characters back and no further: more context cannot help any generation.
        assertThat(r.radius()).isLessThanOrEqualTo(ORDER);
        assertThat(r.nll()).hasSameSizeAs(r.reference());
        assertThat(r.fit()).isNotNull();
      });
      assertThat(records).extracting(RadiusRecord::generationId).doesNotHaveDuplicates();
      assertThat(app.probe().orElseThrow().modelRadius(model)).get().satisfies(m -> {
        assertThat(m.generations()).isEqualTo(GENERATIONS);
        assertThat(m.radius()).as("the per-model radius is the served order").isEqualTo(ORDER);
      });
      assertThat(app.metrics().probe().outcomes(Outcome.PROBED)).isEqualTo(GENERATIONS);
      assertThat(app.metrics().probe().requestsTotal()).isEqualTo(server.requests());
      String scraped = scrape(app);
      assertThat(scraped).contains("driftwatch_probe_model_radius_tokens{model=\"" + model + "\"} " + ORDER + ".0")
          .contains("driftwatch_probe_generations_total{model=\"" + model + "\",outcome=\"probed\"} " + GENERATIONS + ".0");
      // The web view's API serves the model's curve and each generation's.
      var web = "http://127.0.0.1:" + app.webPort();
      var listing = EventCodec.MAPPER.readTree(get(web + "/api/radius").body());
      assertThat(listing.path("probing").asBoolean()).isTrue();
      assertThat(listing.path("models").get(0).path("model").asText()).isEqualTo(model);
      assertThat(listing.path("models").get(0).path("radius").asInt()).isEqualTo(ORDER);
      // Without semantic scoring no summary has coherence_radius: nothing to correlate with, and it says so.
      assertThat(listing.path("correlations").get(0).path("model").asText()).isEqualTo(model);
      assertThat(listing.path("correlations").get(0).path("pairs").asInt()).isZero();
      assertThat(listing.path("correlations").get(0).has("spearman")).isFalse();
      var one = get(web + "/api/radius/" + records.get(0).generationId());
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(EventCodec.fromJson(one.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), RadiusRecord.class))
          .isEqualTo(records.get(0));
      assertThat(get(web + "/api/radius/never-probed").statusCode()).isEqualTo(404);
      // Scoring ran beside it.
      assertThat(read(kafka, topics.scores(), ScoreRecord.class, GENERATIONS, s -> ScoreRecord.SUMMARY.equals(s.kind())))
          .hasSize(GENERATIONS);
    }
  }

  @Test
  void aProbeWhoseServerIsDownCountsItsFailuresAndScoringGoesOn(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Topics topics = Topics.withPrefix("radius-down-it.");
    LiveProbeSettings probe = LiveProbeSettings.defaults(URI.create("http://127.0.0.1:" + port), 1).withLimits(1_000_000, 50)
        .withLadder(TARGET, 1, Duration.ofMillis(10), 2);
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("radius-down-it").topics(topics).metricsPort(0).probe(probe).build();
    try (MonitorApp app = MonitorApp.start(settings)) {
      produce(kafka, topics, "down", "d");

      assertThat(read(kafka, topics.scores(), ScoreRecord.class, GENERATIONS, s -> ScoreRecord.SUMMARY.equals(s.kind())))
          .as("every generation scored").hasSize(GENERATIONS);
      var metrics = app.metrics().probe();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (metrics.outcomes(Outcome.FAILED) + metrics.outcomes(Outcome.QUEUE_FULL) < GENERATIONS && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      long failed = metrics.outcomes(Outcome.FAILED);
      System.out.printf("server down: %d generations failed, %d skipped with a full queue, %d requests%n", failed,
          metrics.outcomes(Outcome.QUEUE_FULL), metrics.requestsTotal());
      assertThat(failed + metrics.outcomes(Outcome.QUEUE_FULL)).isEqualTo(GENERATIONS);
      assertThat(failed).isPositive();
      // Two attempts per failed generation, each a failed attempt.
      assertThat(metrics.requestsTotal()).isEqualTo(2 * failed);
      assertThat(scrape(app)).contains("driftwatch_probe_failed_attempts_total{model=\"down\"} " + (2 * failed) + ".0");
      assertThat(read(kafka, topics.radius(), RadiusRecord.class, 1, r -> true, Duration.ofSeconds(2))).isEmpty();
    }
  }

  /** {@value #GENERATIONS} passages of the novel, as generations of one character per token with an empty prompt. */
  private static void produce(EmbeddedKafkaBroker kafka, Topics topics, String model, String prefix) throws Exception {
    Random random = new Random(ORDER);
    Instant now = Instant.now();
    try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
      for (int g = 0; g < GENERATIONS; g++) {
        String id = prefix + "-" + g;
        int start = random.nextInt(corpus.length() - LENGTH);
        List<String> chars = corpus.substring(start, start + LENGTH).codePoints().mapToObj(Character::toString).toList();
        producer.send(new GenerationEvent.Start(1, id, "it", model, "", null, Map.of(), now));
        for (int i = 0; i < chars.size(); i++) {
          producer.send(new GenerationEvent.Token(1, id, (long) i, chars.get(i), null, null, null, now));
        }
        producer.send(new GenerationEvent.End(1, id, "stop", now));
      }
    }
  }

  private static <T> List<T> read(EmbeddedKafkaBroker kafka, String topic, Class<T> type, int wanted, Predicate<T> keep)
      throws Exception {
    return read(kafka, topic, type, wanted, keep, Duration.ofSeconds(90));
  }

  private static <T> List<T> read(EmbeddedKafkaBroker kafka, String topic, Class<T> type, int wanted, Predicate<T> keep, Duration patience)
      throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic + "-" + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + patience.toNanos();
      while (out.size() < wanted && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          T value = EventCodec.fromJson(r.value(), type);
          if (keep.test(value)) {
            out.add(value);
          }
        }
      }
    }
    return out;
  }

  private static java.net.http.HttpResponse<String> get(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape(MonitorApp app) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    return http.send(java.net.http.HttpRequest.newBuilder(URI.create(app.metricsUrl())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }
}
