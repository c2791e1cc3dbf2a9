package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.calibration.Books;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.producers.calibration.LegitimateRepetition;
import io.driftwatch.producers.sdk.Chunking;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import io.driftwatch.producers.tap.GuardSettings;
import io.driftwatch.producers.tap.TapContext;
import io.driftwatch.producers.tap.TapMetrics;
import io.driftwatch.producers.tap.TapServer;
import io.driftwatch.producers.tap.TapSettings;
import io.driftwatch.producers.text.SimpleTokenizer;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.guard.GuardEvaluator;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guard end to end: a fake OpenAI-compatible server that streams forever, the real tap with the
 * real scoring engine as its in-process guard, a real broker, and the official OpenAI Java client
 * reading the guarded stream. A loop and a verbatim paste are stopped (the server sees its connection
 * closed, the client a well-formed stream that ends with content_filter), a dry run stops nothing but
 * records the decision, a drifting text is stopped by entity_shift, and legitimate repetitive output
 * streams through untouched.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TapGuardIT {

  private static final String TOPIC = "guard.tokens";
  private static final String OPENING = "The migration moves the billing tables to the new cluster and keeps the old one readable "
      + "for a week. Before the switch, the export of each ledger is checked against its row count. ";
  private static final String LOOP = "Retry the export of the ledger table. ";
  private static final String BOOK = Books.text("pride_and_prejudice");
  private static final int PASTE_AT = BOOK.indexOf("It is a truth universally acknowledged");

  private static Path indexDir;
  private static AttributionScoring attribution;
  /** What the fake server streams for the next request. */
  private static volatile List<String> nextTokens = List.of();
  private static volatile boolean endless;
  private static EndlessOpenAiServer upstream;

  @BeforeAll
  static void start() throws Exception {
    TapServer.disableNagle();
    indexDir = Files.createTempDirectory("guard-index");
    // The book's prose, as a reference index of protected text should hold it: indexed whole, its run of
    // headings ("Chapter 1 Chapter 2 ... Chapter 44") is itself a span over the verbatim threshold, and a
    // generated table of contents of the legitimate corpus repeats it word for word (docs/tap.md).
    new IndexBuilder(indexDir).addText("pride_and_prejudice.txt", String.join("\n\n", Books.paragraphs("pride_and_prejudice"))).build();
    attribution = new AttributionScoring(new StreamingMatcher(AttributionIndex.open(indexDir), MatchSettings.DEFAULTS));
    upstream = new EndlessOpenAiServer(TapGuardIT::tokens, 200_000, Duration.ofSeconds(60), 200);
  }

  @AfterAll
  static void stop() throws Exception {
    upstream.close();
    try (Stream<Path> files = Files.walk(indexDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @BeforeEach
  void reset() {
    upstream.reset();
    upstream.pauseMicros(200);
  }

  /** The tokens of the next request: the list, then (when endless) the list again and again. */
  private static Iterator<String> tokens() {
    return EndlessOpenAiServer.cycling(nextTokens, endless);
  }

  private static void streamForever(String opening, String repeated) {
    List<String> tokens = new ArrayList<>(SimpleTokenizer.tokenize(opening));
    int before = tokens.size();
    tokens.addAll(SimpleTokenizer.tokenize(repeated));
    // An opening, then the repeated part over and over: the loop from a chosen token.
    List<String> loop = tokens.subList(before, tokens.size());
    List<String> all = new ArrayList<>(tokens.subList(0, before));
    for (int i = 0; i < 50; i++) {
      all.addAll(loop);
    }
    nextTokens = all;
    endless = true;
  }

  @Test
  void aLoopIsStoppedTheServerSeesItsConnectionClosedAndTheOpenAiClientParsesACleanEnd(EmbeddedKafkaBroker kafka) throws Exception {
    createTopic(kafka);
    streamForever(OPENING, LOOP);
    try (Tap tap = Tap.start(kafka.bootstrapServers(), guard(Set.of("loop"), false, null))) {
      Streamed result = viaOpenAiClient(tap.url(), 4000);

      assertThat(upstream.awaitClosedByClient(10)).as("the upstream saw its connection closed").isTrue();
      assertThat(result.finishReason()).isEqualTo("content_filter");
      assertThat(result.guardField()).containsEntry("rule", "loop");
      assertThat(result.text()).startsWith(OPENING.strip().substring(0, 40)).contains(LOOP.strip());
      long openingTokens = SimpleTokenizer.tokenize(OPENING).size();
      long tripSeq = ((Number) result.guardField().get("seq")).longValue();
      assertThat(tripSeq).isGreaterThan(openingTokens);
      // The client got the tokens up to the trip and at most a few after it (those of the same read).
      assertThat(result.contentChunks() - 1 - tripSeq).isBetween(0L, 20L);

      GenerationEvent.End end = endOf(kafka.bootstrapServers(), upstream.lastResponseId() + ":0");
      assertThat(end.finishReason()).isEqualTo("content_filter");
      assertThat(end.guard().rule()).isEqualTo("loop");
      assertThat(end.guard().action()).isEqualTo(GenerationEvent.Guard.STOPPED);
      assertThat(end.guard().path()).isEqualTo(GenerationEvent.Guard.IN_PROCESS);
      assertThat(end.guard().seq()).isEqualTo(tripSeq);
      assertThat(end.guard().maxTokensLeft()).isEqualTo(4000 - result.contentChunks());
      assertThat(tap.scrape()).contains("driftwatch_tap_guard_trips_total{action=\"stopped\",path=\"in_process\",rule=\"loop\"} 1.0");
    }
  }

  @Test
  void aVerbatimPasteOfAnIndexedBookIsStopped(EmbeddedKafkaBroker kafka) throws Exception {
    createTopic(kafka);
    nextTokens = SimpleTokenizer.tokenize("Here is a passage I wrote myself about a wedding: "
        + BOOK.substring(PASTE_AT).replaceAll("\\s+", " "));
    endless = true;
    try (Tap tap = Tap.start(kafka.bootstrapServers(), guard(Set.of("loop", "verbatim_copy"), false, attribution))) {
      Streamed result = viaOpenAiClient(tap.url(), null);
      assertThat(upstream.awaitClosedByClient(10)).isTrue();
      assertThat(result.finishReason()).isEqualTo("content_filter");
      assertThat(result.guardField()).containsEntry("rule", "verbatim_copy");
      assertThat(result.text()).contains("It is a truth universally acknowledged");
      long tripSeq = ((Number) result.guardField().get("seq")).longValue();
      assertThat(result.contentChunks() - 1 - tripSeq).isBetween(0L, 20L);
      assertThat(result.contentChunks()).isLessThan(200);
    }
  }

  /**
   * A drifting text: a passage of the calibration set whose cast is replaced halfway (name-swap), the
   * first of the set on which the engine's entity_shift rule fires, so that the drift rules stop streams
   * in process like the loop does. The text is streamed once, not forever: it must be stopped before its end.
   */
  @Test
  void aDriftingTextIsStoppedByTheEntityShiftRule(EmbeddedKafkaBroker kafka) throws Exception {
    createTopic(kafka);
    GuardEvaluator entityShift = new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS), Set.of("entity_shift"));
    LabelledText drifting = null;
    long offlineTrip = -1;
    for (LabelledText text : io.driftwatch.producers.calibration.CalibrationSet.build(2026, 10)) {
      if (!text.scenario().equals(io.driftwatch.producers.calibration.CalibrationSet.NAME_SWAP)) {
        continue;
      }
      // The events the tap will publish: its prompt is the rendered chat ("user: ..."), its tokens the server's.
      GuardEvaluator.Session session = entityShift.open();
      java.time.Instant t0 = java.time.Instant.parse("2026-12-04T00:00:00Z");
      session.accept(new GenerationEvent.Start(1, "offline", "r", "m", "user: " + text.prompt(), null, Map.of(), t0));
      long seq = 0;
      for (String token : SimpleTokenizer.tokenize(text.text())) {
        java.util.Optional<io.driftwatch.scoring.guard.GuardTrip> trip =
            session.accept(new GenerationEvent.Token(1, "offline", seq, token, null, null, null, t0.plusMillis(seq)));
        seq++;
        if (trip.isPresent()) {
          offlineTrip = trip.get().seq();
        }
      }
      if (offlineTrip >= 0) {
        drifting = text;
        break;
      }
    }
    assertThat(drifting).as("a name swap of the calibration set on which entity_shift fires").isNotNull();
    nextTokens = SimpleTokenizer.tokenize(drifting.text());
    endless = false;
    try (Tap tap = Tap.start(kafka.bootstrapServers(), guard(Set.of("loop", "entity_shift"), false, null))) {
      Streamed result = viaOpenAiClient(tap.url(), null, drifting.prompt());
      assertThat(upstream.awaitClosedByClient(10)).isTrue();
      assertThat(result.finishReason()).isEqualTo("content_filter");
      assertThat(result.guardField()).containsEntry("rule", "entity_shift");
      // The same engine on the same events decides at the same token as offline.
      long tripSeq = ((Number) result.guardField().get("seq")).longValue();
      assertThat(tripSeq).isEqualTo(offlineTrip);
      assertThat(result.contentChunks() - 1 - tripSeq).isBetween(0L, 20L);
    }
  }

  @Test
  void aDryRunRecordsTheDecisionAndStopsNothing(EmbeddedKafkaBroker kafka) throws Exception {
    createTopic(kafka);
    List<String> tokens = new ArrayList<>(SimpleTokenizer.tokenize(OPENING));
    for (int i = 0; i < 12; i++) {
      tokens.addAll(SimpleTokenizer.tokenize(LOOP));
    }
    nextTokens = tokens;
    endless = false;
    try (Tap tap = Tap.start(kafka.bootstrapServers(), guard(Set.of("loop"), true, null))) {
      Streamed result = viaOpenAiClient(tap.url(), null);
      assertThat(upstream.awaitFinished(10)).as("the stream ran to its own end").isTrue();
      assertThat(result.finishReason()).isEqualTo("stop");
      assertThat(result.guardField()).isEmpty();
      assertThat(result.contentChunks()).isEqualTo(tokens.size());

      GenerationEvent.End end = endOf(kafka.bootstrapServers(), upstream.lastResponseId() + ":0");
      assertThat(end.finishReason()).isEqualTo("stop");
      assertThat(end.guard().action()).isEqualTo(GenerationEvent.Guard.DRY_RUN);
      assertThat(end.guard().rule()).isEqualTo("loop");
      assertThat(end.guard().tokensAfter()).isEqualTo(tokens.size() - 1 - end.guard().seq());
      assertThat(tap.scrape()).contains("driftwatch_tap_guard_trips_total{action=\"dry_run\",path=\"in_process\",rule=\"loop\"} 1.0");
    }
  }

  /**
   * Every text of the legitimate-repetition corpus (tables, lists, code, JSON, CSV, verse with
   * refrains) streamed through the guard: none is stopped, and each reaches the client byte for byte as
   * the server sent it.
   */
  @Test
  void legitimateRepetitiveOutputIsNeverStoppedAndArrivesByteForByte(EmbeddedKafkaBroker kafka) throws Exception {
    createTopic(kafka);
    endless = false;
    List<LabelledText> corpus = LegitimateRepetition.standard();
    HttpClient http = HttpClient.newHttpClient();
    List<String> stopped = new ArrayList<>();
    upstream.pauseMicros(0); // as fast as it can: 150 texts
    try (Tap tap = Tap.start(kafka.bootstrapServers(), guard(Set.of("loop", "verbatim_copy"), false, attribution));
         EndlessOpenAiServer direct = new EndlessOpenAiServer(TapGuardIT::tokens, 200_000, Duration.ofSeconds(60), 0)) {
      for (LabelledText text : corpus) {
        nextTokens = SimpleTokenizer.tokenize(text.text());
        // Each response has its own id; apart from it the bytes must be the same.
        String viaTap = post(http, URI.create(tap.url())).replace(upstream.lastResponseId(), "chatcmpl-x");
        String straight = post(http, direct.uri()).replace(direct.lastResponseId(), "chatcmpl-x");
        if (!viaTap.equals(straight)) {
          int at = 0;
          while (at < Math.min(viaTap.length(), straight.length()) && viaTap.charAt(at) == straight.charAt(at)) {
            at++;
          }
          stopped.add(text.id() + " (" + text.genre() + "): differs at char " + at + " of " + straight.length() + ", via tap: "
              + viaTap.substring(Math.max(0, at - 80), Math.min(viaTap.length(), at + 200)));
        }
      }
      assertThat(stopped).as("texts the guard changed").isEmpty();
      assertThat(tap.scrape()).doesNotContain("driftwatch_tap_guard_trips_total{");
    }
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(150);
  }

  private static String post(HttpClient http, URI base) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer sk-test-SECRET")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Write it.\"}]}")).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static GuardSettings guard(Set<String> rules, boolean dryRun, AttributionScoring attribution) {
    GuardEvaluator evaluator = new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS, false, attribution), rules);
    return new GuardSettings(rules, GuardSettings.DEFAULT_FINISH_REASON, dryRun, GuardOptions.inProcess(evaluator), null);
  }

  /** What the OpenAI client read: the content, the number of content chunks, the finish reason and the guard's field. */
  record Streamed(String text, long contentChunks, String finishReason, Map<String, Object> guardField) {}

  static Streamed viaOpenAiClient(String tapUrl, Integer maxTokens) {
    return viaOpenAiClient(tapUrl, maxTokens, "Write the runbook of the ledger export.");
  }

  static Streamed viaOpenAiClient(String tapUrl, Integer maxTokens, String userMessage) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(tapUrl + "/v1").apiKey("sk-test-SECRET").maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addUserMessage(userMessage);
    if (maxTokens != null) {
      params.maxCompletionTokens(maxTokens);
    }
    StringBuilder text = new StringBuilder();
    long chunks = 0;
    String finish = null;
    Map<String, Object> guard = Map.of();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.build())) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          String content = choice.delta().content().orElse("");
          if (!content.isEmpty()) {
            text.append(content);
            chunks++;
          }
          if (choice.finishReason().isPresent()) {
            finish = choice.finishReason().get().asString();
          }
        }
        JsonValue field = chunk._additionalProperties().get("driftwatch_guard");
        if (field != null) {
          guard = field.convert(Map.class);
        }
      }
    } finally {
      client.close();
    }
    return new Streamed(text.toString(), chunks, finish, guard);
  }

  static GenerationEvent.End endOf(String bootstrap, String generationId) throws Exception {
    return endOf(bootstrap, TOPIC, generationId);
  }

  static GenerationEvent.End endOf(String bootstrap, String topic, String generationId) throws Exception {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      GenerationEvent.End last = null;
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          GenerationEvent e = EventCodec.decode(r.value());
          if (e instanceof GenerationEvent.End end && end.generationId().equals(generationId)) {
            last = end;
          }
        }
        if (last != null && consumer.assignment().stream().allMatch(tp -> consumer.position(tp) >= endOffset(consumer, tp))) {
          return last;
        }
      }
      throw new AssertionError("no end event for " + generationId + " on " + topic);
    }
  }

  private static long endOffset(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
    return consumer.endOffsets(List.of(tp)).get(tp);
  }

  /** Each test's events go to a fresh topic name's partitions; the end read is the last for its id. */
  private static void createTopic(EmbeddedKafkaBroker kafka) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      if (admin.listTopics().names().get().contains(TOPIC)) {
        return;
      }
    }
    kafka.createTopic(TOPIC, 1);
  }


  /**
   * The tap as the CLI wires it, guard and default chunk linger included: the guard decides on tokens as
   * they are read, whatever the publisher later coalesces.
   */
  private record Tap(TapServer server, TokenStreamPublisher publisher, TapMetrics metrics) implements AutoCloseable {

    static Tap start(String bootstrap, GuardSettings guard) throws Exception {
      TokenStreamPublisher publisher = TokenStreamPublisher.connect(bootstrap, TOPIC, 100_000, Chunking.DEFAULT, Map.of());
      TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), publisher::stats);
      TapServer server = TapServer.start(TapSettings.defaults(upstream.uri()).withBind("127.0.0.1", 0).withThreads(8), publisher,
          metrics, new TapContext("guard-it", Map.of()), guard);
      return new Tap(server, publisher, metrics);
    }

    String url() {
      return server.url();
    }

    String scrape() throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
      return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      server.close(Duration.ZERO);
      publisher.close(Duration.ofSeconds(5));
    }
  }
}
