package io.driftwatch.benchmarks.pipeline;

import io.driftwatch.benchmarks.Medians;
import io.driftwatch.broker.BrokerSettings;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.engine.StateCodec;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.app.MonitorAppSettings;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The whole pipeline on a real broker, against two baselines measured in the same run on the same
 * records: a plain consumer that only deserializes, and a Kafka Streams topology (same exactly-once
 * configuration as the monitor) that only deserializes and forwards. Prints throughput, latency and
 * state size as ratios to those baselines; {@code driftwatch bench pipeline} runs it.
 *
 * <p>Phases: the workload is produced to a topic first, then each variant reads it from the start
 * (catch-up throughput): the two baselines, then Driftwatch with each chosen score family alone and
 * all together; then the monitor runs under a fixed offered load for the latency percentiles; then
 * state size and heap per open generation.
 *
 * <p>Why one long class: it is a script of phases that share the broker, the workload topics and the
 * printed tables; each phase is a method of its own.
 */
public final class PipelineBenchmark {

  /** How the caller shows the runs done out of all of them. */
  public interface Progress extends AutoCloseable {
    void advanceTo(long runsDone);

    @Override
    void close();
  }

  /** Opens the matcher of a reference index; the caller owns the index options. */
  public interface AttributionOpener {
    AttributionScoring open(Path index) throws Exception;
  }

  private final PipelinePlan plan;
  private final SemanticModel semantic;
  private final AttributionOpener attribution;
  private final LongFunction<Progress> progress;
  private final PrintStream out;
  // The plan's fields under their own names: the phases read them often.
  private final int generations;
  private final int tokens;
  private final int semanticGenerations;
  private final int partitions;
  private final int latencyRate;
  private final Duration latencyDuration;
  private final int latencyRuns;
  private final int openGenerations;
  private final int rounds;
  private final int chunkTokens;
  private final Map<String, String> overrides;

  /**
   * @param semantic the model of the semantic families (opened only when the plan has one)
   * @param attribution opens the reference index of the attribution families (only when the plan has one)
   * @param progress a progress display for the given number of runs
   * @param out where the tables go
   */
  public PipelineBenchmark(PipelinePlan plan, SemanticModel semantic, AttributionOpener attribution,
      LongFunction<Progress> progress, PrintStream out) {
    this.plan = plan;
    this.semantic = semantic;
    this.attribution = attribution;
    this.progress = progress;
    this.out = out;
    this.generations = plan.generations();
    this.tokens = plan.tokens();
    this.semanticGenerations = plan.semanticGenerations();
    this.partitions = plan.partitions();
    this.latencyRate = plan.latencyRate();
    this.latencyDuration = plan.latencyDuration();
    this.latencyRuns = plan.latencyRuns();
    this.openGenerations = plan.openGenerations();
    this.rounds = plan.rounds();
    this.chunkTokens = plan.chunkTokens();
    this.overrides = plan.kafkaOverrides();
  }

  /** Runs every phase of the plan and prints its tables. */
  public void run() throws Exception {
    List<BenchFamily> chosen = plan.families();
    Path work = Files.createTempDirectory("driftwatch-bench-");
    out.printf(Locale.ROOT, "Machine: %d cores, Java %s, max heap %d MB; broker: embedded, same machine%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    boolean needsModel = chosen.stream().anyMatch(f -> f.semantic);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.inDirectory(work.resolve("kafka")).withPort(0));
        SentenceEmbedder embedder = needsModel ? semantic.openBesideKafka(out) : null) {
      AttributionScoring matcher = chosen.stream().anyMatch(f -> f.attribution)
          ? attribution.open(plan.referenceIndex().isPresent() ? plan.referenceIndex().get()
              : BenchReferenceIndex.build(work.resolve("reference-index")))
          : null;
      String bootstrap = broker.bootstrapServers();
      List<GenerationEvent> workload = BenchWorkload.events(generations, tokens, 1, Instant.parse("2026-01-01T00:00:00Z"), "g-");
      long tokenCount = (long) generations * tokens;
      Topics topics = Topics.withPrefix("bench.");
      createTopic(bootstrap, topics.tokens());
      produce(bootstrap, topics.tokens(), workload);
      out.printf(Locale.ROOT, "Workload: %d generations x %d tokens = %,d token events (%,d records), %d partitions%n",
          generations, tokens, tokenCount, workload.size(), partitions);
      Topics chunkedTopics = Topics.withPrefix("bench-chunked.");
      List<GenerationEvent> chunked = List.of();
      if (chunkTokens > 0) {
        chunked = BenchWorkload.chunked(workload, chunkTokens);
        createTopic(bootstrap, chunkedTopics.tokens());
        produce(bootstrap, chunkedTopics.tokens(), chunked);
        out.printf(Locale.ROOT, "Chunked: the same tokens in chunks of %d, %,d records%n", chunkTokens, chunked.size());
      }
      List<GenerationEvent> small = List.of();
      Topics semanticTopics = Topics.withPrefix("bench-semantic.");
      long semanticTokens = (long) semanticGenerations * tokens;
      if (needsModel) {
        small = BenchWorkload.events(semanticGenerations, tokens, 2, Instant.parse("2026-01-01T00:00:00Z"), "s-");
        createTopic(bootstrap, semanticTopics.tokens());
        produce(bootstrap, semanticTopics.tokens(), small);
        out.printf(Locale.ROOT, "Semantic runs (bounded by the model): %d generations x %d tokens = %,d token events%n",
            semanticGenerations, tokens, semanticTokens);
      }
      Topics semanticChunkedTopics = Topics.withPrefix("bench-semantic-chunked.");
      List<GenerationEvent> smallChunked = List.of();
      if (needsModel && chunkTokens > 0) {
        smallChunked = BenchWorkload.chunked(small, chunkTokens);
        createTopic(bootstrap, semanticChunkedTopics.tokens());
        produce(bootstrap, semanticChunkedTopics.tokens(), smallChunked);
      }
      out.println();

      // The scoring code is compiled by the JIT in whichever run comes first, which would make the first
      // family look slower than the rest: score the workload offline once before any run is timed.
      warmUp(workload, matcher);
      if (needsModel) {
        warmUpSemantic(small, embedder);
      }
      // Every variant once per round, in the same order; medians over the rounds.
      double[] rawSeconds = new double[rounds];
      double[] passSeconds = new double[rounds];
      double[][] familySeconds = new double[chosen.size()][rounds];
      DriftwatchMetrics.EmbeddingTotals[] embedding = new DriftwatchMetrics.EmbeddingTotals[chosen.size()];
      // The chunked input runs right after the per-token one in each round, so both meet the same machine load.
      double[] chunkedRawSeconds = new double[rounds];
      double[] chunkedPassSeconds = new double[rounds];
      double[][] chunkedFamilySeconds = new double[chosen.size()][rounds];
      DriftwatchMetrics.EmbeddingTotals[] chunkedEmbedding = new DriftwatchMetrics.EmbeddingTotals[chosen.size()];
      long runsPerRound = 2 + chosen.size() + (chunkTokens > 0 ? 2 + chosen.size() : 0);
      int warmups = plan.warmupRounds();
      try (Progress bar = progress.apply((warmups + rounds) * runsPerRound)) {
        for (int pass = 0; pass < warmups + rounds; pass++) {
          // A warm-up round's figures land in round 0's slots, which the first timed round overwrites.
          int r = Math.max(0, pass - warmups);
          String tag = pass < warmups ? "warmup" + pass : String.valueOf(r);
          long done = pass * runsPerRound;
          rawSeconds[r] = rawConsumer(bootstrap, topics.tokens(), workload.size(), "bench-raw-" + tag);
          bar.advanceTo(++done);
          passSeconds[r] = passThrough(bootstrap, work, topics.tokens(), workload.size(), tag);
          bar.advanceTo(++done);
          for (int f = 0; f < chosen.size(); f++) {
            BenchFamily family = chosen.get(f);
            String id = "bench-" + family.label.replace('+', '-') + "-" + tag;
            MonitorRun run = familyRun(bootstrap, work, family, id, topics, semanticTopics, matcher, embedder, tokenCount, semanticTokens);
            familySeconds[f][r] = run.seconds();
            embedding[f] = run.embedding();
            bar.advanceTo(++done);
          }
          if (chunkTokens > 0) {
            chunkedRawSeconds[r] = rawConsumer(bootstrap, chunkedTopics.tokens(), chunked.size(), "bench-chunked-raw-" + tag);
            bar.advanceTo(++done);
            chunkedPassSeconds[r] = passThrough(bootstrap, work, chunkedTopics.tokens(), chunked.size(), "chunked-" + tag);
            bar.advanceTo(++done);
            for (int f = 0; f < chosen.size(); f++) {
              BenchFamily family = chosen.get(f);
              String id = "bench-chunked-" + family.label.replace('+', '-') + "-" + tag;
              // The semantic families read the semantic workload chunked: fewer records leave the model more of the cores.
              MonitorRun run = familyRun(bootstrap, work, family, id, chunkedTopics, semanticChunkedTopics, matcher, embedder, tokenCount,
                  semanticTokens);
              chunkedFamilySeconds[f][r] = run.seconds();
              chunkedEmbedding[f] = run.embedding();
              bar.advanceTo(++done);
            }
          }
        }
      }
      double raw = tokenCount / Medians.of(rawSeconds);
      double pass = tokenCount / Medians.of(passSeconds);

      out.printf(Locale.ROOT, "catch-up throughput%s%n", roundsNote());
      out.printf(Locale.ROOT, "%-52s %12s %14s %14s%n", "", "tokens/s", "/ raw consumer", "/ pass-through");
      row("raw consumer (deserialize only)", raw, raw, pass);
      row("pass-through Kafka Streams (deserialize, forward)", pass, raw, pass);
      double withSemantic = Double.NaN;
      for (int f = 0; f < chosen.size(); f++) {
        BenchFamily family = chosen.get(f);
        double rate = (family.semantic ? semanticTokens : tokenCount) / Medians.of(familySeconds[f]);
        row("Driftwatch, " + family.description, rate, raw, pass);
        if (family.semantic) {
          embeddingLine(embedding[f], familySeconds[f][rounds - 1]);
        }
        if (family == BenchFamily.ALL || (family == BenchFamily.SEMANTIC && Double.isNaN(withSemantic))) {
          withSemantic = rate;
        }
      }
      double chunkedWithSemantic = Double.NaN;
      if (chunkTokens > 0) {
        double chunkedRaw = tokenCount / Medians.of(chunkedRawSeconds);
        double chunkedPass = tokenCount / Medians.of(chunkedPassSeconds);
        out.println();
        out.printf(Locale.ROOT, "catch-up throughput, chunked input (%d tokens a record, %,d records)%s%n", chunkTokens, chunked.size(),
            roundsNote());
        out.printf(Locale.ROOT, "%-52s %12s %14s %14s %12s%n", "", "tokens/s", "/ raw consumer", "/ pass-through", "/ per-token");
        chunkedRow("raw consumer (deserialize only)", chunkedRaw, chunkedRaw, chunkedPass, raw);
        chunkedRow("pass-through Kafka Streams (deserialize, forward)", chunkedPass, chunkedRaw, chunkedPass, pass);
        for (int f = 0; f < chosen.size(); f++) {
          BenchFamily family = chosen.get(f);
          long familyTokens = family.semantic ? semanticTokens : tokenCount;
          double rate = familyTokens / Medians.of(chunkedFamilySeconds[f]);
          // The semantic families' rows compare with the baselines on the larger workload, as in the per-token table.
          chunkedRow("Driftwatch, " + family.description, rate, chunkedRaw, chunkedPass, familyTokens / Medians.of(familySeconds[f]));
          if (family.semantic) {
            embeddingLine(chunkedEmbedding[f], chunkedFamilySeconds[f][rounds - 1]);
          }
          if (family == BenchFamily.ALL || (family == BenchFamily.SEMANTIC && Double.isNaN(chunkedWithSemantic))) {
            chunkedWithSemantic = rate;
          }
        }
      }
      if (needsModel) {
        double[] model = rawModel(List.of(embedder), small)[0];
        out.printf(Locale.ROOT, "%-52s %,12.0f  (%,.1f sentences/s x %.1f tokens per sentence)%n", "raw embedding model on the same sentences",
            model[0] * model[1], model[0], model[1]);
        out.printf(Locale.ROOT, "%-52s %12.2f  (goal >= 0.80)%n", "Driftwatch with semantic / raw model", withSemantic / (model[0] * model[1]));
        // The monitor may leave the model fewer threads than cores beside Kafka: say too what the model
        // does alone with every core, the most it could ever give. Both ways of spreading it over the
        // cores are measured, round by round in turn so that a neighbour's load slows them alike, and
        // the faster is the baseline, so that a weak one cannot flatter the ratio.
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        double[] everyCore;
        double[] passPerCore;
        try (SentenceEmbedder threadPerCore = semantic.openEveryCore(quiet); SentenceEmbedder onePassPerCore = semantic.openPassPerCore(quiet)) {
          double[][] alone = rawModel(List.of(threadPerCore, onePassPerCore), small);
          everyCore = alone[0];
          passPerCore = alone[1];
        }
        out.printf(Locale.ROOT, "%-52s %,12.0f  (%,.1f sentences/s)%n", "raw embedding model, a thread per core in each pass",
            everyCore[0] * everyCore[1], everyCore[0]);
        out.printf(Locale.ROOT, "%-52s %,12.0f  (%,.1f sentences/s)%n", "raw embedding model, a one-thread pass per core",
            passPerCore[0] * passPerCore[1], passPerCore[0]);
        double allCores = Math.max(everyCore[0] * everyCore[1], passPerCore[0] * passPerCore[1]);
        out.printf(Locale.ROOT, "%-52s %12.2f  (goal >= 0.90; against the faster of the two)%n", "semantic / model on all cores",
            withSemantic / allCores);
        if (!Double.isNaN(chunkedWithSemantic)) {
          out.printf(Locale.ROOT, "%-52s %12.2f  (goal >= 0.90; chunked input, %d tokens a record)%n",
              "semantic / model on all cores, chunked input", chunkedWithSemantic / allCores, chunkTokens);
        }
      }
      if (!plan.overload().isZero()) {
        out.println();
        overload(bootstrap, work, embedder, withSemantic);
      }
      if (!plan.throughputOnly()) {
        out.println();
        latencyRuns(bootstrap, work);
        out.println();
        stateSize();
      }
    } finally {
      deleteRecursively(work);
    }
  }

  /** Scores the events offline, every family but semantic, states through the codec as in the store. */
  private static void warmUp(List<GenerationEvent> events, AttributionScoring attribution) {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, false, attribution);
    OfflineScorer scorer = new OfflineScorer(engine, null, new InMemoryGenerationStore(), "bench", OfflineScorer.Sink.DISCARD);
    long line = 0;
    for (GenerationEvent e : events) {
      scorer.accept(EventCodec.encode(e), ++line);
    }
    scorer.finish();
  }

  /**
   * Scores the semantic workload offline once, model included, so that the first timed semantic run
   * does not pay for compiling the embedding path while the raw model, measured last, runs warm.
   */
  private void warmUpSemantic(List<GenerationEvent> events, SentenceEmbedder embedder) {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true);
    OfflineScorer scorer = new OfflineScorer(engine, new EmbeddingBatch(engine, embedder::embed, semantic.batch()),
        new InMemoryGenerationStore(), "bench", OfflineScorer.Sink.DISCARD);
    long line = 0;
    for (GenerationEvent e : events) {
      scorer.accept(EventCodec.encode(e), ++line);
    }
    scorer.finish();
  }


  private void row(String name, double tokensPerSecond, double raw, double pass) {
    out.printf(Locale.ROOT, "%-52s %,12.0f %14.2f %14.2f%n", name, tokensPerSecond, tokensPerSecond / raw, tokensPerSecond / pass);
  }

  /** One run of a family: the semantic ones read the semantic workload's topics, the others the main workload's. */
  private MonitorRun familyRun(String bootstrap, Path work, BenchFamily family, String id, Topics mainTopics, Topics semanticTopics,
      AttributionScoring matcher, SentenceEmbedder embedder, long tokenCount, long semanticTokens) throws Exception {
    ScoringSettings scoring = ScoringSettings.DEFAULTS.withLexical(family.lexical);
    AttributionScoring familyAttribution = family.attribution ? matcher : null;
    return family.semantic
        ? monitor(bootstrap, work, semanticTopics, id, scoring, semantic.scoring(embedder), familyAttribution, false, semanticTokens,
            semanticGenerations)
        : monitor(bootstrap, work, mainTopics, id, scoring, null, familyAttribution, family.view, tokenCount, generations);
  }

  /** How the throughput tables' figures were taken, e.g. ", medians of 3 rounds after 1 warm-up round". */
  private String roundsNote() {
    int warmups = plan.warmupRounds();
    return (rounds > 1 ? ", medians of " + rounds + " rounds" : "")
        + (warmups == 0 ? ", no warm-up round" : " after " + warmups + " warm-up round" + (warmups > 1 ? "s" : ""));
  }

  /**
   * Where a semantic run's time went (its last round): in embedding batches (the model, and completing the
   * sentences it embedded) or in everything else, which waits meanwhile.
   */
  private void embeddingLine(DriftwatchMetrics.EmbeddingTotals e, double seconds) {
    out.printf(Locale.ROOT, "  %d batches of %.1f texts on average; in them %.2f s of the run's %.2f s (%.0f%%), %,.1f texts/s while in them%n",
        e.batches(), (double) e.texts() / Math.max(1, e.batches()), e.seconds(), seconds, 100 * e.seconds() / seconds,
        e.texts() / e.seconds());
  }

  /** A row of the chunked table: against the chunked baselines, and against the same variant on per-token input. */
  private void chunkedRow(String name, double tokensPerSecond, double raw, double pass, double perToken) {
    out.printf(Locale.ROOT, "%-52s %,12.0f %14.2f %14.2f %12.2f%n", name, tokensPerSecond, tokensPerSecond / raw, tokensPerSecond / pass,
        tokensPerSecond / perToken);
  }

  private void createTopic(String bootstrap, String topic) throws Exception {
    BenchTopics.create(bootstrap, topic, partitions, (short) 1);
  }

  private static void produce(String bootstrap, String topic, List<GenerationEvent> events) {
    BenchTopics.produce(bootstrap, topic, events);
  }

  /** Seconds for a plain consumer to read and deserialize every record. */
  private static double rawConsumer(String bootstrap, String topic, int records, String group) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long seen = 0;
      long started = 0;
      while (seen < records) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (started == 0) {
            started = System.nanoTime();
          }
          decode(record.value());
          seen++;
        }
      }
      return (System.nanoTime() - started) / 1e9;
    }
  }

  /** Seconds for a Kafka Streams topology, configured as the monitor, to deserialize and forward every record. */
  private double passThrough(String bootstrap, Path work, String topic, int records, String round) throws Exception {
    String out = "bench.pass-through-" + round;
    createTopic(bootstrap, out);
    AtomicLong seen = new AtomicLong();
    AtomicLong first = new AtomicLong();
    Topology topology = new Topology();
    topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
    topology.addProcessor("decode", () -> new Processor<byte[], byte[], byte[], byte[]>() {
      private ProcessorContext<byte[], byte[]> context;

      @Override
      public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
      }

      @Override
      public void process(Record<byte[], byte[]> record) {
        first.compareAndSet(0, System.nanoTime());
        GenerationEvent event = decode(record.value());
        context.forward(record.withValue(EventCodec.encode(event)));
        seen.incrementAndGet();
      }
    }, "in");
    topology.addSink("out", out, new ByteArraySerializer(), new ByteArraySerializer(), "decode");
    MonitorAppSettings settings = MonitorAppSettings.builder(bootstrap, work.resolve("pass-through-" + round)).kafkaOverrides(overrides)
        .applicationId("bench-pass-" + round).build();
    try (KafkaStreams streams = new KafkaStreams(topology, MonitorApp.streamsProperties(settings))) {
      streams.start();
      while (seen.get() < records) {
        Thread.sleep(5);
      }
      return (System.nanoTime() - first.get()) / 1e9;
    }
  }

  /** A timed monitor run: seconds from its first token to its last generation closed, and its embedding batches. */
  private record MonitorRun(double seconds, DriftwatchMetrics.EmbeddingTotals embedding) {}

  /** Times the monitor from its first token scored to its last generation closed. */
  private MonitorRun monitor(String bootstrap, Path work, Topics topics, String id, ScoringSettings scoring, SemanticScoring semantic,
      AttributionScoring attribution, boolean view, long tokens, int generations) throws Exception {
    MonitorAppSettings settings = MonitorAppSettings.builder(bootstrap, work.resolve(id)).kafkaOverrides(overrides)
        .applicationId(id).topics(topics)
        .metricsPort(0).monitor(MonitorSettings.DEFAULTS.withIdleTimeout(Duration.ofHours(1)).withScoring(scoring))
        .web(view ? io.driftwatch.streams.web.WebSettings.on("127.0.0.1", 0) : io.driftwatch.streams.web.WebSettings.DISABLED)
        .semantic(semantic).attribution(attribution).build();
    try (MonitorApp app = MonitorApp.start(settings)) {
      long started = 0;
      while (app.metrics().generationsClosedTotal() < generations || app.metrics().tokensTotal() < tokens) {
        if (started == 0 && app.metrics().tokensTotal() > 0) {
          started = System.nanoTime();
        }
        Thread.sleep(2);
      }
      return new MonitorRun((System.nanoTime() - started) / 1e9, app.metrics().embeddingTotals());
    }
  }

  /**
   * Raw throughput of each model on the workload's own texts (collected through the first): for each,
   * {sentences per second, generated tokens per text}.
   */
  private double[][] rawModel(List<SentenceEmbedder> embedders, List<GenerationEvent> events) {
    List<String> texts = new ArrayList<>();
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true);
    SentenceEmbedder first = embedders.get(0);
    OfflineScorer scorer = new OfflineScorer(engine, new EmbeddingBatch(engine, batch -> {
      texts.addAll(batch);
      return first.embed(batch);
    }, semantic.batch()), InMemoryGenerationStore.live(), "bench", OfflineScorer.Sink.DISCARD);
    long line = 0;
    long tokenEvents = 0;
    for (GenerationEvent e : events) {
      scorer.accept(EventCodec.encode(e), ++line);
      tokenEvents += e instanceof GenerationEvent.Token ? 1 : 0;
    }
    scorer.finish();
    double[] best = new double[embedders.size()];
    // Both strategies, three rounds each, the embedders in turn within a round: the fastest of each is its raw rate.
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < embedders.size(); i++) {
        long t1 = System.nanoTime();
        BenchWorkload.embedInBatches(embedders.get(i), texts, semantic.batch(), false);
        double single = texts.size() / ((System.nanoTime() - t1) / 1e9);
        long t2 = System.nanoTime();
        BenchWorkload.embedInBatches(embedders.get(i), texts, semantic.batch(), true);
        double padded = texts.size() / ((System.nanoTime() - t2) / 1e9);
        best[i] = Math.max(best[i], Math.max(single, padded));
      }
    }
    double[][] rates = new double[embedders.size()][];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = new double[] {best[i], (double) tokenEvents / texts.size()};
    }
    return rates;
  }

  /** End-to-end latency from a token's event time to its sentence's score record, at a fixed offered load. */
  /** The latency phase {@code latencyRuns} times, each run's percentiles, and how many runs met the p99 target. */
  private void latencyRuns(String bootstrap, Path work) throws Exception {
    int met = 0;
    int measured = 0;
    for (int run = 1; run <= latencyRuns; run++) {
      OptionalLong p99 = latency(bootstrap, work, run);
      if (p99.isPresent()) {
        measured++;
        met += p99.getAsLong() < LATENCY_TARGET_MS ? 1 : 0;
      }
    }
    if (latencyRuns > 1) {
      out.printf(Locale.ROOT, "p99 < %d ms in %d of %d runs (%d returned score records)%n", LATENCY_TARGET_MS, met, latencyRuns, measured);
    }
  }

  /** The target for p99 token -> sentence score record at the default offered load. */
  private static final long LATENCY_TARGET_MS = 250;

  /** One run of the latency phase on topics of its own; its p99 in ms, empty when no score record came back. */
  private OptionalLong latency(String bootstrap, Path work, int run) throws Exception {
    Topics topics = Topics.withPrefix("bench-latency-" + run + ".");
    createTopic(bootstrap, topics.tokens());
    MonitorAppSettings settings = MonitorAppSettings.builder(bootstrap, work.resolve("latency-" + run)).kafkaOverrides(overrides)
        .applicationId("bench-latency-" + run)
        .topics(topics).metricsPort(0).build();
    int perGeneration = 40;
    int concurrent = Math.max(1, latencyRate / perGeneration);
    List<Long> latencies = new ArrayList<>();
    try (MonitorApp app = MonitorApp.start(settings);
        DriftwatchProducer producer = DriftwatchProducer.connect(bootstrap, topics.tokens())) {
      CountDownLatch done = new CountDownLatch(1);
      Thread reader = new Thread(() -> readLatencies(bootstrap, topics.scores(), done, latencies), "bench-latency-reader-" + run);
      reader.start();
      // Each generation streams 40 tokens/s in real time; enough of them to offer the load. Event
      // times are the wall clock at send, so record latency is end to end.
      List<String> text = BenchWorkload.events(1, 4000, 3, Instant.EPOCH, "x").stream()
          .filter(e -> e instanceof GenerationEvent.Token).map(e -> ((GenerationEvent.Token) e).text()).toList();
      long start = System.nanoTime();
      long end = start + latencyDuration.toNanos();
      long sent = 0;
      long[] seq = new long[concurrent];
      for (int g = 0; g < concurrent; g++) {
        producer.send(new GenerationEvent.Start(1, "lat-" + g, "bench", "bench-model", "Latency.", null, Map.of(), Instant.now()));
      }
      while (System.nanoTime() < end) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * latencyRate);
        while (sent < due) {
          int g = (int) (sent % concurrent);
          producer.send(new GenerationEvent.Token(1, "lat-" + g, seq[g], text.get((int) (seq[g] % text.size())), null, null, null, Instant.now()));
          seq[g]++;
          sent++;
        }
        Thread.sleep(1);
      }
      producer.flush();
      Thread.sleep(2000);
      done.countDown();
      reader.join();
      double seconds = latencyDuration.toNanos() / 1e9;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      String which = latencyRuns > 1 ? "run " + run + " of " + latencyRuns + ", " : "";
      if (sorted.length == 0) {
        out.println("latency (" + which + "): no score records came back");
        return OptionalLong.empty();
      }
      out.printf(Locale.ROOT, "latency (%sat %,d tokens/s offered: %d generations at %d tokens/s, %.0f s; %,d tokens scored): "
              + "token event time -> sentence score record readable (read_committed)%n",
          which, latencyRate, concurrent, perGeneration, seconds, app.metrics().tokensTotal());
      long p99 = percentile(sorted, 0.99);
      out.printf(Locale.ROOT, "  p50 %d ms, p90 %d ms, p99 %d ms, max %d ms over %,d sentence records (target: p99 < %d ms)%n",
          percentile(sorted, 0.5), percentile(sorted, 0.9), p99, sorted[sorted.length - 1], sorted.length, LATENCY_TARGET_MS);
      return OptionalLong.of(p99);
    }
  }

  /** A sentence the loop rule fires on by its third repetition: each overload generation repeats it. */
  private static final String LOOP_SENTENCE = " The bell rang in the tower and the old door opened to the garden.";
  private static final int OVERLOAD_TOKENS_PER_GENERATION = 6 * 14;
  private static final int OVERLOAD_TOKENS_PER_SECOND = 40;

  /**
   * Input at {@value PipelinePlan#OVERLOAD_FACTOR} times the semantic throughput for the plan's overload
   * time, load shedding at its default bounds (or off, to compare): every generation loops, so each raises a loop alert
   * on the cheap path. Reports that alert's latency (event time of the sentence that tripped it, the wall
   * clock at send, to the alert readable), the consumer lag, the shed rate, and what is left 30 s after.
   */
  private void overload(String bootstrap, Path work, SentenceEmbedder embedder, double semanticRate) throws Exception {
    Topics topics = Topics.withPrefix("bench-overload.");
    createTopic(bootstrap, topics.tokens());
    String application = "bench-overload";
    MonitorAppSettings settings = MonitorAppSettings.builder(bootstrap, work.resolve("overload")).kafkaOverrides(overrides)
        .applicationId(application).topics(topics).metricsPort(0)
        .semantic(semantic.scoring(embedder).withShedding(plan.overloadShedding() ? io.driftwatch.streams.scoring.LoadShedding.DEFAULTS : null))
        .build();
    long offered = Math.max(OVERLOAD_TOKENS_PER_SECOND, Math.round(PipelinePlan.OVERLOAD_FACTOR * semanticRate));
    int concurrent = (int) Math.max(1, offered / OVERLOAD_TOKENS_PER_SECOND);
    List<Long> alertLatencies = new ArrayList<>();
    AtomicLong summaries = new AtomicLong();
    String[] words = LOOP_SENTENCE.split("(?= )");
    try (MonitorApp app = MonitorApp.start(settings);
        DriftwatchProducer producer = DriftwatchProducer.connect(bootstrap, topics.tokens());
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      CountDownLatch done = new CountDownLatch(1);
      Thread reader = new Thread(() -> readOverload(bootstrap, topics, done, alertLatencies, summaries), "bench-overload-reader");
      reader.start();
      long start = System.nanoTime();
      long end = start + plan.overload().toNanos();
      long sent = 0;
      long started = 0;
      long maxLag = 0;
      long nextLagCheck = start;
      int[] generation = new int[concurrent];
      long[] seq = new long[concurrent];
      for (int g = 0; g < concurrent; g++) {
        producer.send(new GenerationEvent.Start(1, "ov-" + g + "-0", "bench", "bench-model", "Ring the bell.", null, Map.of(), Instant.now()));
        started++;
      }
      while (System.nanoTime() < end) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * offered);
        while (sent < due) {
          int g = (int) (sent % concurrent);
          String id = "ov-" + g + "-" + generation[g];
          producer.send(new GenerationEvent.Token(1, id, seq[g], words[(int) (seq[g] % words.length)], null, null, null, Instant.now()));
          sent++;
          if (++seq[g] == OVERLOAD_TOKENS_PER_GENERATION) {
            producer.send(new GenerationEvent.End(1, id, "stop", Instant.now()));
            generation[g]++;
            seq[g] = 0;
            producer.send(new GenerationEvent.Start(1, "ov-" + g + "-" + generation[g], "bench", "bench-model", "Ring the bell.", null,
                Map.of(), Instant.now()));
            started++;
          }
        }
        if (System.nanoTime() >= nextLagCheck) {
          maxLag = Math.max(maxLag, lag(admin, application, topics.tokens()));
          nextLagCheck = System.nanoTime() + 1_000_000_000L;
        }
        Thread.sleep(1);
      }
      for (int g = 0; g < concurrent; g++) {
        producer.send(new GenerationEvent.End(1, "ov-" + g + "-" + generation[g], "stop", Instant.now()));
      }
      producer.flush();
      long lagAtEnd = lag(admin, application, topics.tokens());
      Thread.sleep(30_000);
      long lagAfter = lag(admin, application, topics.tokens());
      long summariesAfter = summaries.get();
      double backlogAfter = app.metrics().embeddingBacklogSeconds();
      done.countDown();
      reader.join();
      DriftwatchMetrics metrics = app.metrics();
      long[] sorted;
      synchronized (alertLatencies) {
        sorted = alertLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      double seconds = plan.overload().toNanos() / 1e9;
      out.printf(Locale.ROOT, "overload: %,d tokens/s offered for %.0f s (%d x the semantic %,.0f tokens/s above; %d generations at %d "
          + "tokens/s, %d tokens each, looping), %s%n",
          offered, seconds, PipelinePlan.OVERLOAD_FACTOR, semanticRate, concurrent, OVERLOAD_TOKENS_PER_SECOND, OVERLOAD_TOKENS_PER_GENERATION,
          plan.overloadShedding() ? "load shedding on (shed above 5 s of model work, recover below 1 s)" : "load shedding off");
      if (sorted.length == 0) {
        out.println("  no loop alert came back");
      } else {
        out.printf(Locale.ROOT, "  loop alerts (cheap path): p50 %d ms, p90 %d ms, p99 %d ms, max %d ms over %,d alerts (target: p99 < 500 ms)%n",
            percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99), sorted[sorted.length - 1], sorted.length);
      }
      long decisions = metrics.semanticDecisionsTotal();
      out.printf(Locale.ROOT, "  generations started %,d; semantic scoring shed for %,d of %,d decided (%.0f%%)%n", started,
          metrics.semanticShedTotal(), decisions, decisions == 0 ? 0.0 : 100.0 * metrics.semanticShedTotal() / decisions);
      out.printf(Locale.ROOT, "  consumer lag (records): at most %,d during, %,d when the input stopped, %,d 30 s after%n", maxLag,
          lagAtEnd, lagAfter);
      out.printf(Locale.ROOT, "  30 s after: %,d of %,d generations summarised%s%n", summariesAfter, started,
          plan.overloadShedding() ? String.format(Locale.ROOT, ", embedding backlog %.1f s of model work", backlogAfter) : "");
    }
  }

  /** Records of the topic not yet committed by the application's consumer group, over all partitions. */
  private static long lag(Admin admin, String group, String topic) throws Exception {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    List<org.apache.kafka.common.TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
        .partitions().stream().map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
    partitions.forEach(p -> latest.put(p, org.apache.kafka.clients.admin.OffsetSpec.latest()));
    var ends = admin.listOffsets(latest).all().get();
    long lag = 0;
    for (org.apache.kafka.common.TopicPartition p : partitions) {
      var at = committed.get(p);
      lag += ends.get(p).offset() - (at == null ? 0 : at.offset());
    }
    return lag;
  }

  private static void readOverload(String bootstrap, Topics topics, CountDownLatch done, List<Long> alertLatencies, AtomicLong summaries) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-overload-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.alerts(), topics.scores()));
      while (done.getCount() > 0) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          try {
            if (record.topic().equals(topics.alerts())) {
              io.driftwatch.contract.AlertEvent alert = EventCodec.fromJson(record.value(), io.driftwatch.contract.AlertEvent.class);
              if ("loop".equals(alert.rule()) && io.driftwatch.contract.AlertEvent.FIRING.equals(alert.state())) {
                synchronized (alertLatencies) {
                  alertLatencies.add(now - alert.eventTime().toEpochMilli());
                }
              }
            } else if (ScoreRecord.SUMMARY.equals(EventCodec.fromJson(record.value(), ScoreRecord.class).kind())) {
              summaries.incrementAndGet();
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    }
  }

  private static void readLatencies(String bootstrap, String topic, CountDownLatch done, List<Long> latencies) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long warmUpUntil = System.currentTimeMillis() + 3000;
      while (done.getCount() > 0) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          try {
            ScoreRecord score = EventCodec.fromJson(record.value(), ScoreRecord.class);
            if (ScoreRecord.SENTENCE.equals(score.kind()) && now > warmUpUntil) {
              synchronized (latencies) {
                latencies.add(now - score.eventTime().toEpochMilli());
              }
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    }
  }

  private static GenerationEvent decode(byte[] bytes) {
    try {
      return EventCodec.decode(bytes);
    } catch (io.driftwatch.contract.InvalidEventException e) {
      throw new IllegalStateException("the benchmark's own workload is invalid: " + e.getMessage(), e);
    }
  }

  private static long percentile(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /** State bytes per open generation (as stored) and heap per open generation (as live objects). */
  private void stateSize() {
    List<GenerationEvent> events = BenchWorkload.events(openGenerations, 100, 4, Instant.parse("2026-01-01T00:00:00Z"), "o-").stream()
        .filter(e -> !(e instanceof GenerationEvent.End)).toList();
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    InMemoryGenerationStore live = InMemoryGenerationStore.live();
    System.gc();
    long before = usedHeap();
    for (GenerationEvent e : events) {
      engine.process(e, live);
    }
    System.gc();
    long heap = usedHeap() - before;
    long bytes = 0;
    for (String id : live.openGenerations()) {
      bytes += StateCodec.encode(live.get(id)).length;
    }
    out.printf(Locale.ROOT, "state of %,d open generations (100 tokens each, lexical scores): %,d bytes each as stored, "
        + "about %,d bytes each of heap as live objects%n", openGenerations, bytes / openGenerations, heap / openGenerations);
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("driftwatch: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
