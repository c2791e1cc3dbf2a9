package io.driftwatch.streams.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.app.MonitorAppSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * What the failure tests share: a deterministic workload and its expected output (from the offline
 * scorer, which gives the same records as the topology), a paced feeder, a read_committed reader of the
 * output topics, the comparison, and the monitor settings every instance runs with.
 */
final class FailureTestSupport {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  /** Partitions of every topic: four tasks, so that two instances each own some. */
  static final int PARTITIONS = 4;
  /** Generations streaming at once: some finished, some open and some not begun at any moment. */
  private static final int CONCURRENT = 8;

  private FailureTestSupport() {}

  /**
   * Baselines ready after 2 generations of a model in a task: with 48 generations, 3 models and 4
   * tasks, most baselines are ready before the failure and some warm up after it, so the percentiles
   * on the output are right only if every task gets its baselines back (from the changelog after a
   * wipe, on the surviving instance after a kill) and learns nothing twice.
   */
  static final BaselineSettings BASELINES = new BaselineSettings(2, null, Map.of());

  /** The default rules and one in baseline percentiles, so that alerts depend on the baselines too. */
  static final ScoringSettings SCORING = ScoringSettings.DEFAULTS.withAlertRules(java.util.stream.Stream.concat(
      ScoringSettings.DEFAULT_RULES.stream(),
      java.util.stream.Stream.of(new AlertRule("drift_p90", "drift_index_pct", 90, 50, 1, 1))).toList());

  /**
   * The monitor as the failure tests run it: four partitions, semantic scoring off, and two settings
   * that only make the tests shorter: a 6 s consumer session (the broker's minimum; the default 45 s
   * is how long a group waits for a killed member) and a 10-minute idle timeout, so that a pause
   * during a failure cannot close a generation as idle, which would change its summary.
   */
  static MonitorAppSettings settings(String bootstrap, String applicationId, Path stateDir, Topics topics, short replication,
      int threads) {
    return MonitorAppSettings.builder(bootstrap, stateDir)
        .applicationId(applicationId)
        .topics(topics)
        .partitions(PARTITIONS)
        .replicationFactor(replication)
        .streamThreads(threads)
        .metricsPort(0)
        .monitor(MonitorSettings.DEFAULTS.withIdleTimeout(Duration.ofMinutes(10)).withScoring(SCORING).withBaseline(BASELINES))
        .kafkaOverrides(Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500"))
        .build();
  }

  /** One record of the tokens topic, in the order it is produced. */
  record Input(String key, byte[] value) {}

  /**
   * The input and what the monitor must write for it.
   *
   * @param scores per generation, its score records' JSON in order (sentences, then one summary)
   * @param alerts per generation, its alert events' JSON in order
   * @param deadLetters reason, message and payload of every dead letter, sorted
   */
  record Workload(List<Input> inputs, Map<String, List<String>> scores, Map<String, List<String>> alerts, List<String> deadLetters) {

    int generations() {
      return scores.size();
    }

    @Override
    public String toString() {
      return inputs.size() + " records, " + generations() + " generations, "
          + scores.values().stream().mapToInt(List::size).sum() + " score records, " + alertCount() + " alerts, "
          + deadLetters.size() + " dead letters";
    }

    int alertCount() {
      return alerts.values().stream().mapToInt(List::size).sum();
    }

    /** Generations begun and not yet ended after the first {@code sent} inputs: the ones a failure cuts. */
    Set<String> openAfter(int sent) {
      Set<String> open = new HashSet<>();
      for (Input in : inputs.subList(0, sent)) {
        GenerationEvent event = decodeOrNull(in.value());
        if (event instanceof GenerationEvent.Start) {
          open.add(event.generationId());
        } else if (event instanceof GenerationEvent.End) {
          open.remove(event.generationId());
        }
      }
      return open;
    }
  }

  private static Workload shared;

  /**
   * The workload of every failure test: 48 generations of about 150 tokens (some 7,400 records),
   * computed once per JVM: the oracle alone takes seconds (it is the same scoring engine as the
   * monitor's), and the tests can share it since each uses topics of its own.
   */
  static synchronized Workload sharedWorkload() {
    if (shared == null) {
      shared = workload(1, 48, 150);
    }
    return shared;
  }

  /**
   * Deterministic input: {@code generations} demo generations (every scenario) of about
   * {@code tokens} tokens, {@value #CONCURRENT} streaming at once, with some records the monitor must
   * dead-letter (a duplicated token, a token after the end, malformed JSON).
   */
  static Workload workload(long seed, int generations, int tokens) {
    DemoCorpus corpus = DemoCorpus.load();
    Random random = new Random(seed);
    List<List<Input>> scripts = new ArrayList<>();
    for (int g = 0; g < generations; g++) {
      Scenario scenario = Scenario.values()[g % Scenario.values().length];
      Scenario.Script script = scenario.script(corpus, random, tokens - 20 + random.nextInt(41));
      String id = "gen-" + seed + "-" + g + "-" + scenario.label();
      List<GenerationEvent> events = new ArrayList<>();
      events.add(new GenerationEvent.Start(1, id, "reliability", "model-" + g % 3, script.prompt(), null,
          Map.of("scenario", scenario.label()), T0.plusSeconds(g)));
      for (int seq = 0; seq < script.tokens().size(); seq++) {
        events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null,
            -random.nextDouble() * 6, null, T0.plusSeconds(g).plusMillis(20L * seq)));
      }
      events.add(new GenerationEvent.End(1, id, "length", T0.plusSeconds(g).plusMillis(20L * script.tokens().size())));
      List<Input> inputs = new ArrayList<>(events.stream().map(e -> new Input(id, EventCodec.encode(e))).toList());
      if (g % 7 == 3) {
        int at = 2 + random.nextInt(inputs.size() - 4);
        inputs.add(at + 1, inputs.get(at)); // a duplicate: seq.out_of_order
      }
      if (g % 11 == 5) {
        inputs.add(inputs.get(inputs.size() / 2)); // after the end: generation.closed
      }
      scripts.add(inputs);
    }
    List<Input> inputs = interleave(scripts, random);
    for (int j = 0; j < 3; j++) {
      byte[] junk = ("{\"v\":1,\"type\":\"token\",\"generation_id\":\"junk-" + j + "\"").getBytes(UTF_8);
      inputs.add(inputs.size() * (j + 1) / 4, new Input("junk-" + j, junk));
    }
    return expected(List.copyOf(inputs));
  }

  /** At most {@value #CONCURRENT} generations at once, each next event from one of them at random. */
  private static List<Input> interleave(List<List<Input>> scripts, Random random) {
    List<Input> out = new ArrayList<>();
    List<List<Input>> active = new ArrayList<>();
    int next = 0;
    while (next < scripts.size() || !active.isEmpty()) {
      while (active.size() < CONCURRENT && next < scripts.size()) {
        active.add(new ArrayList<>(scripts.get(next++)));
      }
      List<Input> g = active.get(random.nextInt(active.size()));
      out.add(g.remove(0));
      if (g.isEmpty()) {
        active.remove(g);
      }
    }
    return out;
  }

  /**
   * The oracle: the offline scorer, fed the same records in the same order, one scorer per input
   * partition, since each scoring task learns its own baselines from its partition's generations, in
   * that partition's order (docs/scores.md, Baselines).
   */
  private static Workload expected(List<Input> inputs) {
    Map<String, List<String>> scores = new LinkedHashMap<>();
    Map<String, List<String>> alerts = new LinkedHashMap<>();
    List<String> deadLetters = new ArrayList<>();
    OfflineScorer.Sink sink = new OfflineScorer.Sink() {
      @Override
      public void score(byte[] json) {
        scores.computeIfAbsent(read(json, ScoreRecord.class).generationId(), k -> new ArrayList<>()).add(new String(json, UTF_8));
      }

      @Override
      public void alert(byte[] json) {
        alerts.computeIfAbsent(read(json, io.driftwatch.contract.AlertEvent.class).generationId(), k -> new ArrayList<>())
            .add(new String(json, UTF_8));
      }

      @Override
      public void deadLetter(byte[] json) {
        deadLetters.add(deadLetterContent(json));
      }
    };
    List<OfflineScorer> byPartition = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      byPartition.add(new OfflineScorer(new ScoringEngine(SCORING), null, new InMemoryGenerationStore(Baselines.inMemory(BASELINES)),
          "oracle", sink));
    }
    long line = 0;
    for (Input in : inputs) {
      byPartition.get(partition(in.key())).accept(in.value(), ++line);
    }
    deadLetters.sort(Comparator.naturalOrder());
    Workload workload = new Workload(inputs, scores, alerts, List.copyOf(deadLetters));
    // A comparison is only as good as what it compares: every kind of output must be there.
    if (workload.alertCount() == 0 || deadLetters.isEmpty() || workload.scores().values().stream().anyMatch(r -> r.size() < 3)) {
      throw new IllegalStateException("the workload must give alerts, dead letters and several sentences per generation");
    }
    if (alerts.values().stream().flatMap(List::stream).noneMatch(a -> a.contains("\"drift_p90\""))
        || scores.values().stream().flatMap(List::stream).noneMatch(r -> r.contains("\"drift_index_pct\""))) {
      throw new IllegalStateException("the workload must give percentiles and percentile alerts");
    }
    return workload;
  }

  /** The tokens topic's partition of a key, as the producer's default partitioner chooses it. */
  static int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % PARTITIONS;
  }

  /** What a dead letter says about its record, without where and when it was read (which differ by run). */
  private static String deadLetterContent(byte[] json) {
    DeadLetter d = read(json, DeadLetter.class);
    return d.reason() + " | " + d.message() + " | " + d.payload();
  }

  private static <T> T read(byte[] json, Class<T> type) {
    try {
      return EventCodec.fromJson(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GenerationEvent decodeOrNull(byte[] json) {
    try {
      return EventCodec.decode(json);
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Produces the workload over {@code duration} from a thread of its own, as applications stream
   * tokens: idempotent, acks=all, and patient enough (two minutes) to ride out a broker restart.
   */
  static final class Feeder implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    Feeder(String bootstrap, String topic, List<Input> inputs, Duration duration) {
      Map<String, Object> config = new HashMap<>();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
      producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
      long nanosEach = duration.toNanos() / inputs.size();
      thread = new Thread(() -> {
        long start = System.nanoTime();
        for (int i = 0; i < inputs.size() && failure.get() == null; i++) {
          long due = start + i * nanosEach;
          long wait = due - System.nanoTime();
          if (wait > 1_000_000) {
            try {
              Thread.sleep(wait / 1_000_000);
            } catch (InterruptedException e) {
              return;
            }
          }
          Input in = inputs.get(i);
          producer.send(new ProducerRecord<>(topic, in.key(), in.value()), (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            }
          });
          sent.incrementAndGet();
        }
        producer.flush();
      }, "failure-test-feeder");
      thread.start();
    }

    /** Records handed to the producer so far. */
    int sent() {
      return sent.get();
    }

    /** Waits until {@code count} records were handed to the producer. */
    void awaitSent(int count) throws InterruptedException {
      while (sent.get() < count && thread.isAlive()) {
        Thread.sleep(20);
      }
    }

    /** Waits until every record is acknowledged; fails the test if any could not be produced. */
    void finish() throws InterruptedException {
      thread.join();
      assertThat(failure.get()).as("producing the workload").isNull();
    }

    @Override
    public void close() {
      thread.interrupt();
      producer.close(Duration.ofSeconds(10));
    }
  }

  /** What the monitor wrote, as committed: per generation its score records and alerts, and dead letters. */
  record Outputs(Map<String, List<String>> scores, Map<String, List<String>> alerts, List<String> deadLetters) {

    long summaries() {
      return scores.values().stream().flatMap(List::stream).filter(FailureTestSupport::isSummary).count();
    }

    /** Generations with sentence records and no summary: open, their state in the monitor's stores. */
    Set<String> unfinished() {
      Set<String> out = new HashSet<>();
      scores.forEach((id, records) -> {
        if (records.stream().noneMatch(FailureTestSupport::isSummary)) {
          out.add(id);
        }
      });
      return out;
    }
  }

  private static boolean isSummary(String json) {
    return json.contains("\"kind\":\"summary\"");
  }

  /**
   * Reads the scores, alerts and dead-letter topics with {@code isolation.level=read_committed} until
   * the workload's summaries, alerts and dead letters have all arrived (or {@code timeout} passed), then
   * on until nothing more comes for 3 s, so that a duplicate written after them would be seen too.
   */
  static Outputs readAll(String bootstrap, Topics topics, Workload expected, Duration timeout) {
    return read(bootstrap, topics, timeout, out -> out.summaries() >= expected.generations()
        && out.alerts().values().stream().mapToInt(List::size).sum() >= expected.alertCount()
        && out.deadLetters().size() >= expected.deadLetters().size(), Duration.ofSeconds(3));
  }

  /** What is committed on the output topics now (reads until nothing new comes for 2 s). */
  static Outputs readCommittedSoFar(String bootstrap, Topics topics) {
    return read(bootstrap, topics, Duration.ofSeconds(30), out -> true, Duration.ofSeconds(2));
  }

  private static Outputs read(String bootstrap, Topics topics, Duration timeout, java.util.function.Predicate<Outputs> complete,
      Duration quiet) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Outputs out = new Outputs(new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.scores(), topics.alerts(), topics.deadLetters())) {
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!complete.test(out) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(250)).forEach(r -> add(out, topics, r));
      }
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < quiet.toNanos()) {
        var records = consumer.poll(Duration.ofMillis(250));
        if (!records.isEmpty()) {
          records.forEach(r -> add(out, topics, r));
          quietSince = System.nanoTime();
        }
      }
    }
    out.deadLetters().sort(Comparator.naturalOrder());
    return out;
  }

  private static void add(Outputs out, Topics topics, ConsumerRecord<String, byte[]> record) {
    String json = new String(record.value(), UTF_8);
    if (record.topic().equals(topics.scores())) {
      out.scores().computeIfAbsent(record.key(), k -> new ArrayList<>()).add(json);
    } else if (record.topic().equals(topics.alerts())) {
      out.alerts().computeIfAbsent(record.key(), k -> new ArrayList<>()).add(json);
    } else {
      out.deadLetters().add(deadLetterContent(record.value()));
    }
  }

  /**
   * The monitor wrote what the oracle says, nothing more and nothing less: per generation exactly one
   * summary and the same score records and alerts in the same order, and the same dead letters.
   */
  static void assertSameAsOracle(Outputs actual, Workload expected) {
    assertThat(actual.scores().keySet()).as("generations with scores").containsExactlyInAnyOrderElementsOf(expected.scores().keySet());
    for (Map.Entry<String, List<String>> g : expected.scores().entrySet()) {
      List<String> records = actual.scores().get(g.getKey());
      assertThat(records.stream().filter(FailureTestSupport::isSummary).count()).as("summaries of %s", g.getKey()).isEqualTo(1);
      assertThat(records).as("score records of %s", g.getKey()).containsExactlyElementsOf(g.getValue());
    }
    assertThat(actual.alerts()).as("alerts per generation").isEqualTo(expected.alerts());
    assertThat(actual.deadLetters()).as("dead letters").containsExactlyElementsOf(expected.deadLetters());
  }

  /** Whole seconds since {@code System.nanoTime()} was {@code since}, for the tests' logs. */
  static long seconds(long since) {
    return Duration.ofNanos(System.nanoTime() - since).toSeconds();
  }

  /** Deletes a directory tree, as a lost disk or a new machine would. */
  static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
