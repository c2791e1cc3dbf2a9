package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.broker.BrokerSettings;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.producers.calibration.LegitimateRepetition;
import io.driftwatch.producers.calibration.Books;
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
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftwatch bench guard}: how fast the tap's guard stops a loop, on each decision path, and
 * what it adds to every chunk of a stream it does not stop. Everything runs in this process on
 * loopback: a stand-in model server streaming loops that never end, the tap, an embedded broker and,
 * for the Kafka path, the monitor.
 */
@Command(name = "guard", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Decision latency of the tap's guard: a stand-in server streams a loop that never ends (a different one each run: "
          + "a paragraph of a bundled book, then one of its sentences over and over); the client measures, per run, the tokens it received after the "
          + "tripping token and the time from that token to the stream's end (same clock, same process). In process (the tap's own scoring engine) and "
          + "through Kafka (the monitor's alert on the alerts topic).",
      "Added latency per chunk: legitimate repetitive texts (tables, lists, code, JSON, CSV, verse) stream through the tap with "
          + "the guard on and off, alternately; each token's time from the server's write to the client's read.",
      ""})
final class GuardBench implements Callable<Integer> {

  @Option(names = "--runs", defaultValue = "100", paramLabel = "N", description = "Stopped streams per decision path (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--streams", defaultValue = "60", paramLabel = "N",
      description = "Legitimate texts streamed with the guard on and with it off, for the per-chunk latency (default: ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--token-interval", defaultValue = "5ms", paramLabel = "TIME",
      description = "Time between two tokens of the stand-in server (default: ${DEFAULT-VALUE}, 200 tokens a second).")
  Duration tokenInterval;

  @Option(names = "--paths", defaultValue = "in_process,kafka", split = ",", paramLabel = "PATH",
      description = "Decision paths to measure: in_process, kafka, or none for the per-chunk figures only (default: ${DEFAULT-VALUE}).")
  List<String> paths;

  private final PrintStream out = System.out;
  private volatile List<String> nextTokens = List.of();
  private volatile boolean endless;

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || streams < 1) {
      throw new UserFacingException("--runs and --streams must be at least 1");
    }
    TapServer.disableNagle();
    Path work = Files.createTempDirectory("driftwatch-bench-guard-");
    out.printf(Locale.ROOT, "Machine: %d cores, Java %s; loopback; token interval %d µs%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), tokenInterval.toNanos() / 1000);
    List<List<String>> loops = loops(runs);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.inDirectory(work.resolve("kafka")).withPort(0));
         EndlessOpenAiServer upstream = new EndlessOpenAiServer(this::tokens, 5_000, Duration.ofSeconds(60),
             tokenInterval.toNanos() / 1000)) {
      String bootstrap = broker.bootstrapServers();
      Topics topics = Topics.withPrefix("bench-guard.");
      if (paths.contains("in_process")) {
        GuardSettings guard = new GuardSettings(Set.of("loop"), GuardSettings.DEFAULT_FINISH_REASON, false, inProcessLoopGuard(), null);
        try (TokenStreamPublisher publisher = TokenStreamPublisher.connect(bootstrap, topics.tokens(), 100_000, Map.of());
             TapServer tap = tap(upstream, publisher, guard)) {
          report("in process", decisions(upstream, tap, loops));
        }
      }
      if (paths.contains("kafka")) {
        InFlightGenerations inFlight = new InFlightGenerations();
        GuardSettings guard = new GuardSettings(Set.of("loop"), GuardSettings.DEFAULT_FINISH_REASON, false, null, inFlight);
        MonitorAppSettings monitorSettings = MonitorAppSettings.builder(bootstrap, work.resolve("state"))
            .applicationId("bench-guard").topics(topics).metricsPort(0).build();
        try (MonitorApp monitor = MonitorApp.start(monitorSettings);
             TokenStreamPublisher publisher = TokenStreamPublisher.connect(bootstrap, topics.tokens(), 100_000, Map.of())) {
          TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), publisher::stats);
          try (AlertStops stops = AlertStops.start(bootstrap, Map.of(), topics.alerts(), guard.rules(), inFlight, metrics, Clock.systemUTC());
               TapServer tap = TapServer.start(settings(upstream), publisher, metrics, new TapContext("bench-guard", Map.of()), guard)) {
            Thread.sleep(2000); // the alerts consumer finds its partitions
            report("through Kafka", decisions(upstream, tap, loops));
          }
        }
      }
      chunkLatency(upstream, bootstrap, topics);
      engineCost();
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private Iterator<String> tokens() {
    return EndlessOpenAiServer.cycling(nextTokens, endless);
  }

  /**
   * {@code n} loops, each a different one: a paragraph of a bundled book, then one of its sentences (of
   * 6 to 30 tokens) repeated without end; the stand-in server cycles the list, so the loop never ends.
   */
  private static List<List<String>> loops(int n) {
    List<List<String>> out = new ArrayList<>();
    for (int p = 0; out.size() < n; p++) {
      String book = Books.NAMES.get(p % Books.NAMES.size());
      List<String> paragraphs = Books.paragraphs(book);
      String opening = paragraphs.get((p * 7) % paragraphs.size());
      String next = paragraphs.get((p * 7 + 1) % paragraphs.size());
      String sentence = firstSentence(next);
      List<String> loop = SimpleTokenizer.tokenize(" " + sentence);
      if (loop.size() < 6 || loop.size() > 30) {
        continue;
      }
      List<String> tokens = new ArrayList<>(SimpleTokenizer.tokenize(opening));
      for (int i = 0; i < 200; i++) {
        tokens.addAll(loop);
      }
      out.add(tokens);
      if (p > 100 * n) {
        throw new IllegalStateException("the bundled books hold too few sentences of 6 to 30 tokens for " + n + " runs");
      }
    }
    return out;
  }

  private static String firstSentence(String paragraph) {
    int end = paragraph.indexOf(". ");
    return end < 0 ? paragraph : paragraph.substring(0, end + 1);
  }

  private static io.driftwatch.producers.tap.TapGuard inProcessLoopGuard() {
    return GuardOptions.inProcess(new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS), Set.of("loop")));
  }

  private static TapSettings settings(EndlessOpenAiServer upstream) {
    return TapSettings.defaults(upstream.uri()).withBind("127.0.0.1", 0).withThreads(8);
  }

  private static TapServer tap(EndlessOpenAiServer upstream, TokenStreamPublisher publisher, GuardSettings guard) throws Exception {
    return TapServer.start(settings(upstream), publisher, new TapMetrics(new PrometheusRegistry(), publisher::stats),
        new TapContext("bench-guard", Map.of()), guard);
  }

  /** One stopped stream as the client saw it: tokens after the tripping one, and nanoseconds from it to the end. */
  record Decision(long tokensAfter, long nanos) {}

  private List<Decision> decisions(EndlessOpenAiServer upstream, TapServer tap, List<List<String>> loops) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<Decision> decisions = new ArrayList<>();
    int missed = 0;
    for (List<String> loop : loops) {
      upstream.reset();
      nextTokens = loop;
      endless = true;
      Read read = read(http, URI.create(tap.url()));
      if (read.tripSeq() < 0 || read.tripSeq() >= read.arrivals().length) {
        missed++;
        continue;
      }
      decisions.add(new Decision(read.arrivals().length - 1 - read.tripSeq(), read.endedAt() - read.arrivals()[(int) read.tripSeq()]));
    }
    if (missed > 0) {
      out.printf(Locale.ROOT, "  %d of %d loops ended without a stop (the stand-in server's own limit)%n", missed, loops.size());
    }
    return decisions;
  }

  private void report(String path, List<Decision> decisions) {
    long[] tokens = decisions.stream().mapToLong(Decision::tokensAfter).sorted().toArray();
    long[] nanos = decisions.stream().mapToLong(Decision::nanos).sorted().toArray();
    out.printf(Locale.ROOT, "Decision %-13s %3d stops: tokens after the tripping token p50 %d, p99 %d, max %d; "
            + "time from it to the stream's end p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        path, decisions.size(), percentile(tokens, 0.5), percentile(tokens, 0.99), tokens[tokens.length - 1],
        percentile(nanos, 0.5) / 1e6, percentile(nanos, 0.99) / 1e6, nanos[nanos.length - 1] / 1e6);
  }

  /** What the client read of one stream: each content token's arrival, the tripping token's seq (-1 if none), the end's arrival. */
  record Read(long[] arrivals, long tripSeq, long endedAt) {}

  private static Read read(HttpClient http, URI base) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(150))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Write it.\"}]}")).build();
    long[] arrivals = new long[4096];
    int n = 0;
    long trip = -1;
    long ended = -1;
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        long now = System.nanoTime();
        if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
          continue;
        }
        JsonNode chunk = EventCodec.MAPPER.readTree(line.substring(6));
        JsonNode choice = chunk.path("choices").path(0);
        String content = choice.path("delta").path("content").asText("");
        if (!content.isEmpty()) {
          if (n == arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, n * 2);
          }
          arrivals[n++] = now;
        }
        if (!choice.path("finish_reason").isNull() && !choice.path("finish_reason").isMissingNode()) {
          ended = now;
          JsonNode guard = chunk.get("driftwatch_guard");
          trip = guard == null ? -1 : guard.path("seq").asLong(-1);
        }
      }
    }
    return new Read(Arrays.copyOf(arrivals, n), trip, ended);
  }

  /** Each token's time from the server's write to the client's read, through the tap with the guard off and on. */
  private void chunkLatency(EndlessOpenAiServer upstream, String bootstrap, Topics topics) throws Exception {
    List<LabelledText> texts = LegitimateRepetition.standard();
    GuardSettings guard = new GuardSettings(Set.of("loop"), GuardSettings.DEFAULT_FINISH_REASON, false, inProcessLoopGuard(), null);
    HttpClient http = HttpClient.newHttpClient();
    List<Long> off = new ArrayList<>();
    List<Long> on = new ArrayList<>();
    int stopped = 0;
    try (TokenStreamPublisher publisher = TokenStreamPublisher.connect(bootstrap, topics.tokens(), 100_000, Map.of());
         TapServer plain = tap(upstream, publisher, null);
         TapServer guarded = tap(upstream, publisher, guard)) {
      for (int i = 0; i < streams; i++) {
        LabelledText text = texts.get(i % texts.size());
        for (boolean withGuard : new boolean[] {false, true}) {
          upstream.reset();
          nextTokens = SimpleTokenizer.tokenize(text.text());
          endless = false;
          Read read = read(http, URI.create((withGuard ? guarded : plain).url()));
          long[] sent = upstream.sentAt();
          if (read.tripSeq() >= 0) {
            stopped++;
          }
          int k = Math.min(sent.length, read.arrivals().length);
          // The first tokens of a stream also pay for the connection: left out of the steady state.
          for (int j = 5; j < k; j++) {
            (withGuard ? on : off).add(read.arrivals()[j] - sent[j]);
          }
        }
      }
    }
    long[] a = off.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] b = on.stream().mapToLong(Long::longValue).sorted().toArray();
    out.printf(Locale.ROOT, "Per chunk, server write to client read, %d legitimate texts (%d stopped by the guard):%n", streams, stopped);
    out.printf(Locale.ROOT, "  guard off  %,7d tokens  p50 %.3f ms  p99 %.3f ms%n", a.length, percentile(a, 0.5) / 1e6, percentile(a, 0.99) / 1e6);
    out.printf(Locale.ROOT, "  guard on   %,7d tokens  p50 %.3f ms  p99 %.3f ms%n", b.length, percentile(b, 0.5) / 1e6, percentile(b, 0.99) / 1e6);
    out.printf(Locale.ROOT, "  added by the guard: p50 %.3f ms, p99 %.3f ms%n", (percentile(b, 0.5) - percentile(a, 0.5)) / 1e6,
        (percentile(b, 0.99) - percentile(a, 0.99)) / 1e6);
  }

  /**
   * The guard's own work per token, without the network: the in-process engine fed the same legitimate
   * texts as tokens, each call timed. This runs on the relay's thread between two reads of a guarded stream.
   */
  private void engineCost() {
    GuardEvaluator evaluator = new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS), Set.of("loop"));
    List<LabelledText> texts = LegitimateRepetition.standard();
    List<Long> nanos = new ArrayList<>();
    java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
    for (int round = 0; round < 3; round++) { // the first round warms the JIT; all three are kept
      for (LabelledText text : texts) {
        GuardEvaluator.Session session = evaluator.open();
        session.accept(new io.driftwatch.contract.GenerationEvent.Start(1, text.id(), "r", "m", text.prompt(), null, Map.of(), t0));
        long seq = 0;
        for (String token : SimpleTokenizer.tokenize(text.text())) {
          io.driftwatch.contract.GenerationEvent.Token event =
              new io.driftwatch.contract.GenerationEvent.Token(1, text.id(), seq, token, null, null, null, t0.plusMillis(seq));
          long start = System.nanoTime();
          session.accept(event);
          nanos.add(System.nanoTime() - start);
          seq++;
        }
      }
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    out.printf(Locale.ROOT, "In-process guard's work per token (engine only, %,d tokens of %d texts, 3 rounds): p50 %.1f µs, p99 %.1f µs, "
        + "max %.2f ms%n", sorted.length, texts.size(), percentile(sorted, 0.5) / 1e3, percentile(sorted, 0.99) / 1e3,
        sorted[sorted.length - 1] / 1e6);
  }

  private static long percentile(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
