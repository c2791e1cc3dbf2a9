package io.driftwatch.producers.tap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.broker.BrokerSettings;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.Chunking;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The tap between a real client and a real OpenAI-speaking server, publishing to a real broker: the
 * client gets the same bytes with and without it, Kafka gets the generations, and neither a stopped
 * broker nor unreadable traffic changes what the client gets.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TapIT {

  private static final String SECRET = "sk-test-SECRET";
  private static RecordedOpenAiServer upstream;
  private final StreamingClient client = new StreamingClient();

  @BeforeAll
  static void startUpstream() throws Exception {
    TapServer.disableNagle(); // as the CLI runs: for every JDK HTTP server of this JVM, the test server included
    upstream = new RecordedOpenAiServer(Duration.ofMillis(2), true);
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  private static HttpRequest.Builder request(URI base, String path, String fixture) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
    return fixture == null ? b : b.header("X-Replay", fixture);
  }

  private static HttpRequest post(URI base, String path, String fixture, String json) {
    return request(base, path, fixture).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private static String chatRequest(boolean stream) {
    return StreamingResponseParserTest.CHAT_REQUEST.replace("\"stream\":true", "\"stream\":" + stream);
  }

  /** Sends the same request straight to the upstream and through the tap; returns both responses. */
  private List<StreamingClient.Response> directAndViaTap(RunningTap tap, java.util.function.Function<URI, HttpRequest> request) throws Exception {
    StreamingClient.Response direct = client.send(request.apply(upstream.uri()));
    StreamingClient.Response viaTap = client.send(request.apply(URI.create(tap.server().url())));
    return List.of(direct, viaTap);
  }

  private static void assertSameResponse(List<StreamingClient.Response> both, String what) {
    StreamingClient.Response direct = both.get(0);
    StreamingClient.Response viaTap = both.get(1);
    assertThat(viaTap.status()).as(what + ": status").isEqualTo(direct.status());
    assertThat(viaTap.body()).as(what + ": body bytes").isEqualTo(direct.body());
    for (String header : List.of("content-type", "cache-control", "openai-processing-ms")) {
      assertThat(viaTap.header(header)).as(what + ": " + header).isEqualTo(direct.header(header));
    }
    assertThat(viaTap.header("x-request-id")).as(what + ": x-request-id").isNotNull();
    assertThat(viaTap.failure() == null).as(what + ": broke off").isEqualTo(direct.failure() == null);
  }

  @Test
  void streamsReachTheClientByteIdenticalWithAndWithoutTheTap(EmbeddedKafkaBroker kafka) throws Exception {
    try (RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), "tap-it-identical.tokens", 10_000, Map.of())) {
      for (String fixture : Fixtures.STREAMS) {
        String path = fixture.startsWith("completion") ? "/v1/completions" : "/v1/chat/completions";
        String body = fixture.startsWith("completion") ? StreamingResponseParserTest.COMPLETION_REQUEST : chatRequest(true);
        List<StreamingClient.Response> both = directAndViaTap(tap, base -> post(base, path, fixture, body));
        assertSameResponse(both, fixture);
        assertThat(both.get(1).body()).as(fixture).isEqualTo(Fixtures.bytes(fixture));
        assertThat(both.get(1).eventNanos()).as(fixture).hasSize(RecordedOpenAiServer.events(Fixtures.text(fixture)).size());
      }
      for (String fixture : List.of("chat-completion.json", "completion.json")) {
        String path = fixture.startsWith("completion") ? "/v1/completions" : "/v1/chat/completions";
        List<StreamingClient.Response> both = directAndViaTap(tap, base -> post(base, path, fixture, chatRequest(false)));
        assertSameResponse(both, fixture);
        assertThat(both.get(1).header("content-length")).isEqualTo(String.valueOf(Fixtures.bytes(fixture).length));
      }
      String metrics = tap.scrape();
      assertThat(MetricsText.value(metrics, "driftwatch_tap_chunk_relay_seconds_count")).isGreaterThan(0);
      assertThat(MetricsText.value(metrics, "driftwatch_tap_requests_total{path=\"/v1/chat/completions\",status=\"200\"}")).isEqualTo(5);
      assertThat(MetricsText.value(metrics, "driftwatch_tap_generations_total{endpoint=\"chat.completions\",mode=\"stream\"}")).isEqualTo(5);
      assertThat(MetricsText.value(metrics, "driftwatch_tap_parse_errors_total{reason=\"chunk_json\"}")).isZero();
    }
  }

  /**
   * With a chunk linger the tap publishes the same tokens, logprobs and alternatives included, in far
   * fewer records, each generation still start, tokens in sequence, end; the metrics show the ratio.
   */
  @Test
  void aChunkLingerCarriesTheSameTokensInFewerRecords(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "tap-it-chunks.tokens";
    kafka.createTopic(topic, 3);
    RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), topic, 10_000,
        Chunking.linger(Duration.ofMillis(500)), Map.of(), Duration.ofSeconds(5));
    String metrics;
    try (tap) {
      URI base = URI.create(tap.server().url());
      client.send(post(base, "/v1/chat/completions", "chat-stream-logprobs.sse", chatRequest(true)));
      client.send(post(base, "/v1/chat/completions", "chat-completion.json", chatRequest(false)));
      TokensTopic.read(kafka.bootstrapServers(), topic, TokensTopic.ends(2), Duration.ofSeconds(30));
      metrics = tap.scrape();
    }
    List<GenerationEvent> events = TokensTopic.events(TokensTopic.read(kafka.bootstrapServers(), topic, TokensTopic.ends(2),
        Duration.ofSeconds(30)));
    assertThat(events).anyMatch(GenerationEvent.Chunk.class::isInstance);

    String logprobsId = "chatcmpl-AXf5Qb2LrT8wVn4kZ0cJhYp6sMe3G:0";
    List<GenerationEvent> generation = events.stream().filter(e -> e.generationId().equals(logprobsId)).toList();
    assertThat(generation.get(0)).isInstanceOf(GenerationEvent.Start.class);
    assertThat(generation.get(generation.size() - 1)).isInstanceOf(GenerationEvent.End.class);
    List<GenerationEvent.Token> tokens = new ArrayList<>();
    for (GenerationEvent e : generation.subList(1, generation.size() - 1)) {
      tokens.addAll(e instanceof GenerationEvent.Chunk c ? c.expand() : List.of((GenerationEvent.Token) e));
    }
    List<GenerationEvent.Token> expected = StreamingResponseParserTest.expectedTokens("chat-stream-logprobs.expected.json", logprobsId);
    assertThat(generation.size() - 2).isLessThan(expected.size());
    assertThat(tokens).usingRecursiveFieldByFieldElementComparatorIgnoringFields("eventTime").containsExactlyElementsOf(expected);
    // Each token keeps the time the tap read it at: times never go back, and a stream's tokens are not all one instant.
    for (int i = 1; i < tokens.size(); i++) {
      assertThat(tokens.get(i).eventTime()).isAfterOrEqualTo(tokens.get(i - 1).eventTime());
    }
    assertThat(tokens.get(tokens.size() - 1).eventTime()).isAfter(tokens.get(0).eventTime());
    assertThat(textOf(events, "chatcmpl-AXf9Lf6Yu2Ph8Xe4Bz0Cw5Vo3Ti7M:0")).isEqualTo("Yes, whales are mammals: they breathe air and nurse their young.");

    assertThat(MetricsText.value(metrics, "driftwatch_tap_tokens_published_total"))
        .isGreaterThan(MetricsText.value(metrics, "driftwatch_tap_events_published_total"));
    TokenStreamPublisher.Stats stats = tap.publisher().stats();
    assertThat(stats.sent()).isEqualTo(events.size());
    assertThat(stats.tokensSent()).isEqualTo(expected.size() + textTokens(events, "chatcmpl-AXf9Lf6Yu2Ph8Xe4Bz0Cw5Vo3Ti7M:0"));
    assertThat(stats.accepted()).isEqualTo(stats.tokensSent() + 4);
  }

  @Test
  void generationsArriveInKafkaWithThePromptTokensInOrderWithLogprobsAndTheEnd(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "tap-it-events.tokens";
    kafka.createTopic(topic, 3);
    try (RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), topic, 10_000, Map.of())) {
      URI base = URI.create(tap.server().url());
      client.send(post(base, "/v1/chat/completions", "chat-stream-logprobs.sse", chatRequest(true)));
      client.send(post(base, "/v1/chat/completions", "chat-stream-n2.sse", chatRequest(true)));
      client.send(post(base, "/v1/completions", "completion-stream.sse", StreamingResponseParserTest.COMPLETION_REQUEST));
      client.send(post(base, "/v1/chat/completions", "chat-completion.json", chatRequest(false)));
      client.send(post(base, "/v1/chat/completions", "chat-stream-cut.sse", chatRequest(true)));
    }
    List<ConsumerRecord<byte[], byte[]>> records =
        TokensTopic.read(kafka.bootstrapServers(), topic, TokensTopic.ends(6), Duration.ofSeconds(30));
    List<GenerationEvent> events = TokensTopic.events(records);
    for (int i = 0; i < records.size(); i++) {
      assertThat(new String(records.get(i).key(), UTF_8)).isEqualTo(events.get(i).generationId());
    }

    String logprobsId = "chatcmpl-AXf5Qb2LrT8wVn4kZ0cJhYp6sMe3G:0";
    List<GenerationEvent> generation = events.stream().filter(e -> e.generationId().equals(logprobsId)).toList();
    GenerationEvent.Start start = (GenerationEvent.Start) generation.get(0);
    assertThat(start.prompt()).isEqualTo(StreamingResponseParserTest.CHAT_PROMPT);
    assertThat(start.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(start.runId()).isEqualTo("tap-it");
    assertThat(start.attributes()).containsEntry("path", "/v1/chat/completions").containsEntry("endpoint", "chat.completions")
        .containsEntry("suite", "TapIT");
    List<GenerationEvent.Token> tokens = generation.subList(1, generation.size() - 1).stream().map(GenerationEvent.Token.class::cast).toList();
    assertThat(tokens).usingRecursiveFieldByFieldElementComparatorIgnoringFields("eventTime")
        .containsExactlyElementsOf(StreamingResponseParserTest.expectedTokens("chat-stream-logprobs.expected.json", logprobsId));
    assertThat(((GenerationEvent.End) generation.get(generation.size() - 1)).finishReason()).isEqualTo("length");

    assertThat(textOf(events, "chatcmpl-AXf7Hn2Vq8Lc4Tb0Xw6Ys1Rk9Pd3J:0")).isEqualTo("Baleen whales filter krill.");
    assertThat(textOf(events, "chatcmpl-AXf7Hn2Vq8Lc4Tb0Xw6Ys1Rk9Pd3J:1")).isEqualTo("Toothed whales hunt fish, squid and seals.");
    assertThat(textOf(events, "cmpl-AXf6Tz9pKc1Wm3xRb7Ln0dQy5vHu2:0")).isEqualTo(" They dive deeper than 2,000 metres to hunt squid.");
    assertThat(textOf(events, "chatcmpl-AXf9Lf6Yu2Ph8Xe4Bz0Cw5Vo3Ti7M:0")).isEqualTo("Yes, whales are mammals: they breathe air and nurse their young.");
    assertThat(endOf(events, "chatcmpl-AXf8Jd4Ws0Nf6Vc2Zy8Au3Tm1Rg5K:0")).isEqualTo("disconnected");
    for (String id : events.stream().map(GenerationEvent::generationId).distinct().toList()) {
      List<GenerationEvent> g = events.stream().filter(e -> e.generationId().equals(id)).toList();
      assertThat(g.get(0)).as(id).isInstanceOf(GenerationEvent.Start.class);
      assertThat(g.get(g.size() - 1)).as(id).isInstanceOf(GenerationEvent.End.class);
      assertThat(g.subList(1, g.size() - 1)).as(id).extracting(e -> ((GenerationEvent.Token) e).seq())
          .containsExactlyElementsOf(LongStream.range(0, g.size() - 2).boxed().toList());
    }
  }

  @Test
  void aStoppedBrokerChangesNothingForTheClientAndTheLossIsCounted(@TempDir Path dir) throws Exception {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.inDirectory(dir).withPort(0));
    // Short Kafka timeouts so that the failures show within the test rather than after two minutes.
    Map<String, Object> impatient = Map.of("delivery.timeout.ms", 1500, "request.timeout.ms", 1000, "max.block.ms", 1000);
    broker.createTopic("tap-it-stopped.tokens", 3);
    try (RunningTap tap = RunningTap.start(upstream.uri(), broker.bootstrapServers(), "tap-it-stopped.tokens", 10_000, impatient,
        Duration.ofMillis(200))) {
      assertSameResponse(directAndViaTap(tap, base -> post(base, "/v1/chat/completions", "chat-stream.sse", chatRequest(true))), "broker up");
      await(() -> tap.publisher().stats().sent() == 45, "the first generation's 45 events acknowledged");

      broker.close();
      for (String fixture : List.of("chat-stream-logprobs.sse", "chat-stream-n2.sse", "chat-stream.sse")) {
        assertSameResponse(directAndViaTap(tap, base -> post(base, "/v1/chat/completions", fixture, chatRequest(true))), "broker down: " + fixture);
      }
      await(() -> tap.publisher().stats().failed() > 0, "events failing once the broker is gone");
      String metrics = tap.scrape();
      assertThat(MetricsText.value(metrics, "driftwatch_tap_events_published_total")).isEqualTo(45);
      assertThat(MetricsText.value(metrics, "driftwatch_tap_events_failed_total")).isGreaterThan(0);
      assertThat(MetricsText.value(metrics, "driftwatch_tap_requests_total{path=\"/v1/chat/completions\",status=\"200\"}")).isEqualTo(4);
    } finally {
      broker.close();
    }

    // Nothing listening at all, and a small buffer: the buffer fills while the sender waits for Kafka; the rest is dropped.
    int nothing;
    try (ServerSocket s = new ServerSocket(0)) {
      nothing = s.getLocalPort();
    }
    try (RunningTap tap = RunningTap.start(upstream.uri(), "127.0.0.1:" + nothing, "tap-it-nowhere.tokens", 16, Map.of("max.block.ms", 500),
        Duration.ofMillis(200))) {
      assertSameResponse(directAndViaTap(tap, base -> post(base, "/v1/chat/completions", "chat-stream.sse", chatRequest(true))), "no broker");
      String metrics = tap.scrape();
      assertThat(MetricsText.value(metrics, "driftwatch_tap_events_dropped_total")).isGreaterThan(0);
      assertThat(MetricsText.value(metrics, "driftwatch_tap_events_published_total")).isZero();
    }
  }

  @Test
  void credentialsGoUpstreamButNeverIntoKafkaTheLogsOrTheMetrics(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "tap-it-secrets.tokens";
    kafka.createTopic(topic, 3);
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger driftwatch = (Logger) LoggerFactory.getLogger("io.driftwatch");
    Level rootLevel = root.getLevel();
    Level driftwatchLevel = driftwatch.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    driftwatch.setLevel(Level.TRACE);
    String metrics;
    try (RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), topic, 10_000, Map.of())) {
      // The upstream also quotes the key back in a malformed event: unreadable, counted, never logged or published.
      List<StreamingClient.Response> both = directAndViaTap(tap, base -> request(base, "/v1/chat/completions?api-key=" + SECRET, "chat-stream.sse")
          .header("Authorization", "Bearer " + SECRET).header("api-key", SECRET).header("x-api-key", SECRET)
          .header("X-Replay-Echo-Auth", "true").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(chatRequest(true))).build());
      assertSameResponse(both, "with credentials");
      assertThat(new String(both.get(1).body(), UTF_8)).contains(SECRET); // the client gets its echo, as without the tap
      RecordedOpenAiServer.Received forwarded = upstream.last();
      assertThat(forwarded.header("Authorization")).isEqualTo("Bearer " + SECRET);
      assertThat(forwarded.header("api-key")).isEqualTo(SECRET);
      assertThat(forwarded.header("x-api-key")).isEqualTo(SECRET);
      assertThat(forwarded.rawQuery()).isEqualTo("api-key=" + SECRET);
      client.send(request(URI.create(tap.server().url()), "/v1/models?key=" + SECRET, null).header("Authorization", "Bearer " + SECRET).build());
      metrics = tap.scrape();
    } finally {
      root.detachAppender(logs);
      root.setLevel(rootLevel);
      driftwatch.setLevel(driftwatchLevel);
    }
    assertThat(MetricsText.value(metrics, "driftwatch_tap_parse_errors_total{reason=\"chunk_json\"}")).isEqualTo(1);
    assertThat(metrics).doesNotContain("SECRET");

    List<ConsumerRecord<byte[], byte[]>> records = TokensTopic.read(kafka.bootstrapServers(), topic, TokensTopic.ends(1), Duration.ofSeconds(30));
    assertThat(records).hasSize(45);
    for (ConsumerRecord<byte[], byte[]> r : records) {
      assertThat(new String(r.key(), UTF_8) + new String(r.value(), UTF_8)).doesNotContain("SECRET");
      for (Header h : r.headers()) {
        assertThat(h.key() + new String(h.value(), UTF_8)).doesNotContain("SECRET");
      }
    }

    List<String> logged = new ArrayList<>();
    for (ILoggingEvent e : logs.list) {
      logged.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        logged.add(t.getClassName() + ": " + t.getMessage());
      }
    }
    // Not vacuous: the tap did describe these requests and their headers at DEBUG.
    assertThat(logged).anySatisfy(line -> assertThat(line).contains("POST /v1/chat/completions -> 200", "authorization=<redacted>",
        "api-key=<redacted>", "x-api-key=<redacted>"));
    assertThat(logged).anySatisfy(line -> assertThat(line).contains("GET /v1/models -> 200"));
    assertThat(logged).allSatisfy(line -> assertThat(line).doesNotContain("SECRET"));
  }

  @Test
  void upstreamErrorsReachTheClientUnchanged(EmbeddedKafkaBroker kafka) throws Exception {
    try (RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), "tap-it-errors.tokens", 10_000, Map.of())) {
      for (String status : List.of("401", "500")) {
        List<StreamingClient.Response> both = directAndViaTap(tap, base -> request(base, "/v1/chat/completions", "error-" + status + ".json")
            .header("X-Replay-Status", status).POST(HttpRequest.BodyPublishers.ofString(chatRequest(true))).build());
        assertSameResponse(both, status);
        assertThat(both.get(1).status()).isEqualTo(Integer.parseInt(status));
        assertThat(both.get(1).body()).isEqualTo(Fixtures.bytes("error-" + status + ".json"));
      }
      String metrics = tap.scrape();
      assertThat(MetricsText.value(metrics, "driftwatch_tap_requests_total{path=\"/v1/chat/completions\",status=\"401\"}")).isEqualTo(1);
      assertThat(MetricsText.value(metrics, "driftwatch_tap_requests_total{path=\"/v1/chat/completions\",status=\"500\"}")).isEqualTo(1);
      assertThat(metrics).doesNotContain("driftwatch_tap_generations_total{");
      assertThat(tap.publisher().stats().accepted()).isZero();
    }
  }

  @Test
  void otherPathsAndMethodsPassThroughUnchanged(EmbeddedKafkaBroker kafka) throws Exception {
    byte[] upload = new byte[300_000];
    new Random(11).nextBytes(upload);
    try (RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), "tap-it-other.tokens", 10_000, Map.of())) {
      List<StreamingClient.Response> models = directAndViaTap(tap, base -> request(base, "/v1/models?limit=2", null).GET().build());
      assertSameResponse(models, "GET /v1/models");
      assertThat(models.get(1).body()).isEqualTo(Fixtures.bytes("models.json"));
      assertThat(upstream.last().method()).isEqualTo("GET");
      assertThat(upstream.last().rawQuery()).isEqualTo("limit=2");
      assertThat(upstream.last().body()).isEmpty();

      assertSameResponse(directAndViaTap(tap, base -> request(base, "/v1/files", null).header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build()), "POST /v1/files");
      assertThat(upstream.last().body()).isEqualTo(upload);
      assertThat(upstream.last().header("Content-Length")).isEqualTo(String.valueOf(upload.length));

      // Listing stored completions uses a monitored path with GET: relayed, not monitored.
      assertSameResponse(directAndViaTap(tap, base -> request(base, "/v1/chat/completions", null).GET().build()), "GET /v1/chat/completions");
      assertSameResponse(directAndViaTap(tap, base -> request(base, "/v1/files/file-abc", null).DELETE().build()), "DELETE /v1/files/file-abc");
      assertThat(upstream.last().method()).isEqualTo("DELETE");

      String metrics = tap.scrape();
      assertThat(MetricsText.value(metrics, "driftwatch_tap_requests_total{path=\"/v1/models\",status=\"200\"}")).isEqualTo(1);
      assertThat(MetricsText.value(metrics, "driftwatch_tap_requests_total{path=\"/v1/files\",status=\"200\"}")).isEqualTo(2);
      assertThat(tap.publisher().stats().accepted()).isZero();
    }
  }

  @Test
  void anUnreachableUpstreamGetsA502InOpenAisErrorShape(EmbeddedKafkaBroker kafka) throws Exception {
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort());
    try (RunningTap tap = RunningTap.start(nowhere, kafka.bootstrapServers(), "tap-it-502.tokens", 10_000, Map.of())) {
      StreamingClient.Response response = client.send(post(URI.create(tap.server().url()), "/v1/chat/completions", null, chatRequest(true)));
      assertThat(response.status()).isEqualTo(502);
      assertThat(response.header("content-type")).isEqualTo("application/json");
      JsonNode error = new ObjectMapper().readTree(response.body()).get("error");
      assertThat(error.get("message").asText()).contains("could not get a response from the upstream");
      assertThat(error.get("code").asText()).isEqualTo("upstream_unreachable");
      assertThat(error.has("type")).isTrue();
      assertThat(error.has("param")).isTrue();
      assertThat(MetricsText.value(tap.scrape(), "driftwatch_tap_upstream_failures_total{kind=\"unreachable\"}")).isEqualTo(1);
    }
  }

  @Test
  void anUpstreamThatBreaksOffBreaksOffForTheClientTooAndTheGenerationEndsDisconnected(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "tap-it-broken.tokens";
    kafka.createTopic(topic, 3);
    try (RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), topic, 10_000, Map.of())) {
      List<StreamingClient.Response> both = directAndViaTap(tap, base -> request(base, "/v1/chat/completions", "chat-stream.sse")
          .header("X-Replay-Break-After", "10").POST(HttpRequest.BodyPublishers.ofString(chatRequest(true))).build());
      assertThat(both.get(0).failure()).as("direct").isNotNull();
      assertThat(both.get(1).failure()).as("via the tap").isNotNull();
      assertThat(both.get(0).body()).as("direct").isEqualTo(brokenOffAfter(10, "chat-stream.sse"));
      assertThat(both.get(1).body()).as("via the tap").isEqualTo(both.get(0).body());
      assertThat(MetricsText.value(tap.scrape(), "driftwatch_tap_upstream_failures_total{kind=\"broken\"}")).isEqualTo(1);
    }
    List<GenerationEvent> events = TokensTopic.events(TokensTopic.read(kafka.bootstrapServers(), topic, TokensTopic.ends(1), Duration.ofSeconds(30)));
    assertThat(textOf(events, "chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH:0")).isEqualTo("Whales are the largest animals ever known to");
    assertThat(endOf(events, "chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH:0")).isEqualTo("disconnected");
  }

  @Test
  void aClientThatGoesAwayEndsItsGenerationDisconnected(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "tap-it-gone.tokens";
    kafka.createTopic(topic, 3);
    try (RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), topic, 10_000, Map.of())) {
      client.send(post(URI.create(tap.server().url()), "/v1/chat/completions", "chat-stream.sse", chatRequest(true)), 5);
      List<GenerationEvent> events = TokensTopic.events(TokensTopic.read(kafka.bootstrapServers(), topic, TokensTopic.ends(1), Duration.ofSeconds(30)));
      String id = "chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH:0";
      assertThat(endOf(events, id)).isEqualTo("disconnected");
      assertThat(events.stream().filter(GenerationEvent.Token.class::isInstance).count()).isBetween(4L, 42L);
      assertThat(MetricsText.value(tap.scrape(), "driftwatch_tap_client_disconnects_total")).isEqualTo(1);
    }
  }

  @Test
  void closingTheTapMidStreamCutsTheClientAndEndsTheGenerationDisconnected(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "tap-it-closing.tokens";
    kafka.createTopic(topic, 3);
    try (RecordedOpenAiServer slow = new RecordedOpenAiServer(Duration.ofMillis(20), false);
        RunningTap tap = RunningTap.start(slow.uri(), kafka.bootstrapServers(), topic, 10_000, Map.of())) {
      java.util.concurrent.CompletableFuture<StreamingClient.Response> response = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return client.send(post(URI.create(tap.server().url()), "/v1/chat/completions", "chat-stream.sse", chatRequest(true)));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      await(() -> !slow.received.isEmpty(), "the request to reach the upstream");
      Thread.sleep(200); // about ten of the stream's 47 events, 20 ms apart
      tap.server().close(Duration.ZERO);
      assertThat(response.get(10, java.util.concurrent.TimeUnit.SECONDS).failure()).as("the client sees the cut").isNotNull();
    }
    List<GenerationEvent> events = TokensTopic.events(TokensTopic.read(kafka.bootstrapServers(), topic, TokensTopic.ends(1), Duration.ofSeconds(30)));
    assertThat(endOf(events, "chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH:0")).isEqualTo("disconnected");
    assertThat(events.stream().filter(GenerationEvent.Token.class::isInstance).count()).isBetween(1L, 42L);
  }

  @Test
  void closingTheTapWhileTheUpstreamIsSilentEndsTheGenerationDisconnectedAtOnce(EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "tap-it-closing-silent.tokens";
    kafka.createTopic(topic, 3);
    // An upstream that thinks for 6 s before each event, longer than the tap waits for its relays.
    try (RecordedOpenAiServer thinking = new RecordedOpenAiServer(Duration.ofSeconds(6), false);
        RunningTap tap = RunningTap.start(thinking.uri(), kafka.bootstrapServers(), topic, 10_000, Map.of())) {
      java.util.concurrent.CompletableFuture<StreamingClient.Response> response = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return client.send(post(URI.create(tap.server().url()), "/v1/chat/completions", "chat-stream.sse", chatRequest(true)));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      await(() -> tap.publisher().stats().accepted() > 0, "the first event to be published");
      long closing = System.nanoTime();
      tap.server().close(Duration.ZERO);
      assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("the relay stopped without waiting for the upstream")
          .isLessThan(Duration.ofSeconds(3));
      assertThat(response.get(10, java.util.concurrent.TimeUnit.SECONDS).failure()).as("the client sees the cut").isNotNull();
    }
    List<GenerationEvent> events = TokensTopic.events(TokensTopic.read(kafka.bootstrapServers(), topic, TokensTopic.ends(1), Duration.ofSeconds(30)));
    assertThat(endOf(events, "chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH:0")).isEqualTo("disconnected");
  }

  @Test
  void aMonitoredRequestOverTheSizeLimitIsRelayedByteForByteAndNotRead(EmbeddedKafkaBroker kafka) throws Exception {
    // A vision request with a large image: more than the tap holds in memory to read one request.
    String big = chatRequest(true).replace("Tell me about whales.", "What is in this image? " + "Q".repeat(ProxyHandler.MAX_REQUEST_BYTES));
    byte[] bytes = big.getBytes(UTF_8);
    try (RunningTap tap = RunningTap.start(upstream.uri(), kafka.bootstrapServers(), "tap-it-large.tokens", 10_000, Map.of())) {
      URI base = URI.create(tap.server().url());
      HttpRequest sized = post(base, "/v1/chat/completions", "chat-stream.sse", big);
      HttpRequest chunked = request(base, "/v1/chat/completions", "chat-stream.sse").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build();
      for (HttpRequest request : List.of(sized, chunked)) {
        StreamingClient.Response response = client.send(request);
        assertThat(response.body()).isEqualTo(Fixtures.bytes("chat-stream.sse"));
        assertThat(upstream.last().body()).isEqualTo(bytes);
      }
      assertThat(upstream.last().headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("Content-Length"));
      String metrics = tap.scrape();
      assertThat(MetricsText.value(metrics, "driftwatch_tap_parse_errors_total{reason=\"request_too_large\"}")).isEqualTo(2);
      assertThat(metrics).doesNotContain("driftwatch_tap_generations_total{");
    }
  }

  /** What the recorded server writes before it breaks off: {@code n} events and half of the next. */
  private static byte[] brokenOffAfter(int n, String fixture) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    List<String> events = RecordedOpenAiServer.events(Fixtures.text(fixture));
    for (int i = 0; i < n; i++) {
      out.writeBytes(events.get(i).getBytes(UTF_8));
    }
    byte[] next = events.get(n).getBytes(UTF_8);
    out.write(next, 0, next.length / 2);
    return out.toByteArray();
  }

  private static String textOf(List<GenerationEvent> events, String id) {
    StringBuilder out = new StringBuilder();
    events.stream().filter(e -> e.generationId().equals(id)).forEach(e -> {
      if (e instanceof GenerationEvent.Token t) {
        out.append(t.text());
      } else if (e instanceof GenerationEvent.Chunk c) {
        c.tokens().forEach(t -> out.append(t.text()));
      }
    });
    return out.toString();
  }

  private static long textTokens(List<GenerationEvent> events, String id) {
    return events.stream().filter(e -> e.generationId().equals(id))
        .mapToLong(e -> e instanceof GenerationEvent.Chunk c ? c.tokens().size() : e instanceof GenerationEvent.Token ? 1 : 0).sum();
  }

  private static String endOf(List<GenerationEvent> events, String id) {
    return events.stream().filter(e -> e.generationId().equals(id) && e instanceof GenerationEvent.End)
        .map(e -> ((GenerationEvent.End) e).finishReason()).findFirst().orElse(null);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 30 s for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
