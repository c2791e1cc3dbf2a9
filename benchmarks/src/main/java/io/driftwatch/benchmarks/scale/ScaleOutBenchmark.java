package io.driftwatch.benchmarks.scale;

import io.driftwatch.benchmarks.Medians;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.driftwatch.benchmarks.pipeline.BenchTopics;
import io.driftwatch.benchmarks.pipeline.BenchWorkload;
import io.driftwatch.broker.EmbeddedKafkaCluster;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.OfflineScorer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Scale-out of the monitor: 1 to N instances of {@code driftwatch run}, each a JVM of its own limited to
 * one processor (and pinned to a core of its own), against an embedded 3-node cluster with topics of 3
 * partitions replicated 3 times. Each run gets the same workload on fresh topics; the clock runs from the
 * first score record to the last generation's summary, read as a consumer with {@code read_committed}
 * would. Throughput is printed in total, per instance (from each instance's {@code driftwatch_tokens_total})
 * and as a ratio to one instance in the same run.
 *
 * <p>The rebalance run: N instances, one killed (SIGKILL) when a third of the generations have their
 * summary and a fresh one (empty state directory) started at two thirds; every generation's score records
 * must then equal the offline scorer's, none missing, none doubled.
 *
 * <p>The instances start on empty topics and the workload is produced once the consumer group is stable,
 * so that the first rebalances are not timed.
 */
public final class ScaleOutBenchmark {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
  /** After the last summary, how long to keep reading for records that should not be there (duplicates). */
  private static final Duration DRAIN = Duration.ofSeconds(3);

  private final ScalePlan plan;
  private final PrintStream out;
  private final Path work;
  private final List<GenerationEvent> workload;
  private final long tokenCount;

  public ScaleOutBenchmark(ScalePlan plan, PrintStream out) throws IOException {
    this.plan = plan;
    this.out = out;
    this.work = Files.createTempDirectory("driftwatch-bench-scale-");
    List<GenerationEvent> perToken = BenchWorkload.events(plan.generations(), plan.tokens(), 3, Instant.parse("2026-01-01T00:00:00Z"), "g-");
    this.workload = plan.chunkTokens() > 0 ? BenchWorkload.chunked(perToken, plan.chunkTokens()) : perToken;
    this.tokenCount = (long) plan.generations() * plan.tokens();
  }

  /** Runs every instance count, then the rebalance run if asked, and prints the tables. */
  public void run() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(Locale.ROOT, "Machine: %d cores, Java %s; embedded 3-node cluster on the same machine%n", cores, System.getProperty("java.version"));
    out.printf(Locale.ROOT, "Workload: %d generations x %d tokens = %,d tokens in %,d records (%s), 3 partitions, replication 3%n",
        plan.generations(), plan.tokens(), tokenCount, workload.size(),
        plan.chunkTokens() > 0 ? "chunks of " + plan.chunkTokens() + " tokens" : "one record per token");
    out.printf(Locale.ROOT, "Each instance: driftwatch run --no-semantic --no-web, -XX:ActiveProcessorCount=1%s%n%n",
        plan.pin() ? ", pinned to a core of its own (taskset)" : "");
    try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(work.resolve("kafka"))) {
      String bootstrap = cluster.bootstrapServers();
      Map<Integer, double[]> totals = new LinkedHashMap<>();
      Map<Integer, double[][]> perInstance = new LinkedHashMap<>();
      for (int n : plan.counts()) {
        totals.put(n, new double[plan.rounds()]);
        perInstance.put(n, new double[n][plan.rounds()]);
      }
      for (int r = 0; r < plan.rounds(); r++) {
        for (int n : plan.counts()) {
          RunResult result = timedRun(bootstrap, n, r);
          totals.get(n)[r] = tokenCount / result.seconds();
          for (int i = 0; i < n; i++) {
            perInstance.get(n)[i][r] = result.tokensByInstance()[i] / result.seconds();
          }
          out.printf(Locale.ROOT, "  round %d, %d instance%s: %,.0f tokens/s in %.1f s; tokens scored by each: %s%n", r + 1, n,
              n == 1 ? "" : "s", tokenCount / result.seconds(), result.seconds(),
              Arrays.stream(result.tokensByInstance()).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(" + ")));
        }
      }
      out.println();
      out.printf(Locale.ROOT, "catch-up throughput%s%n", plan.rounds() > 1 ? ", medians of " + plan.rounds() + " rounds" : "");
      out.printf(Locale.ROOT, "%-10s %14s %16s   %s%n", "instances", "tokens/s", "/ one instance", "per instance, tokens/s");
      double one = Medians.of(totals.get(1));
      for (int n : plan.counts()) {
        double total = Medians.of(totals.get(n));
        StringBuilder each = new StringBuilder();
        for (double[] instance : perInstance.get(n)) {
          each.append(String.format(Locale.ROOT, "%,10.0f", Medians.of(instance)));
        }
        out.printf(Locale.ROOT, "%-10d %,14.0f %16.2f   %s%n", n, total, total / one, each.toString().trim());
      }
      if (plan.rebalance()) {
        out.println();
        rebalanceRun(bootstrap);
      }
    } finally {
      deleteRecursively(work);
    }
  }

  private record RunResult(double seconds, long[] tokensByInstance) {}

  /** {@code n} instances on fresh topics; seconds from the first score record to the last summary. */
  private RunResult timedRun(String bootstrap, int n, int round) throws Exception {
    String prefix = "scale-" + n + "-" + round + ".";
    createTopic(bootstrap, prefix + "tokens");
    List<MonitorInstance> instances = new ArrayList<>();
    try {
      startGroup(bootstrap, prefix, n, instances);
      produce(bootstrap, prefix + "tokens");
      ScoresRead read = readScores(bootstrap, prefix + "scores", null);
      long[] tokens = new long[n];
      for (int i = 0; i < n; i++) {
        tokens[i] = instances.get(i).tokensScored();
      }
      return new RunResult(read.seconds(), tokens);
    } finally {
      for (MonitorInstance instance : instances) {
        instance.close();
      }
    }
  }

  /** The instances as the plan says, one kill and one fresh start mid-run; then every record against the offline scorer. */
  private void rebalanceRun(String bootstrap) throws Exception {
    int n = plan.instances();
    String prefix = "scale-rebalance.";
    createTopic(bootstrap, prefix + "tokens");
    List<MonitorInstance> instances = new ArrayList<>();
    try {
      startGroup(bootstrap, prefix, n, instances);
      produce(bootstrap, prefix + "tokens");
      int victim = n - 1;
      ScoresRead read = readScores(bootstrap, prefix + "scores", (summaries) -> {
        try {
          if (summaries == plan.generations() / 3 && instances.get(victim).name().equals("i" + victim)) {
            // What it had scored says whether the kill came mid-stream (its partitions not yet done).
            long scored = instances.get(victim).tokensScored();
            instances.get(victim).kill();
            out.printf(Locale.ROOT, "  instance %d killed (SIGKILL) after %d summaries, having scored %,d tokens%n", victim + 1, summaries,
                scored);
          } else if (summaries == 2 * plan.generations() / 3 && instances.get(victim).name().equals("i" + victim)) {
            MonitorInstance fresh = startInstance(bootstrap, prefix, victim, "i" + victim + "-fresh");
            instances.set(victim, fresh);
            out.printf(Locale.ROOT, "  a fresh instance (empty state directory) started after %d summaries%n", summaries);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Map<String, List<String>> expected = offlineScores();
      int missing = 0;
      int doubled = 0;
      int differing = 0;
      for (Map.Entry<String, List<String>> g : expected.entrySet()) {
        List<String> streamed = read.records().getOrDefault(g.getKey(), List.of());
        if (streamed.equals(g.getValue())) {
          continue;
        }
        if (streamed.size() < g.getValue().size()) {
          missing++;
        } else if (streamed.size() > g.getValue().size()) {
          doubled++;
        } else {
          differing++;
        }
      }
      int unexpected = (int) read.records().keySet().stream().filter(id -> !expected.containsKey(id)).count();
      boolean equal = missing == 0 && doubled == 0 && differing == 0 && unexpected == 0;
      out.printf(Locale.ROOT, "rebalance run, %d instances, one killed at 1/3 of the summaries and a fresh one started at 2/3: %.1f s, %,.0f tokens/s%n",
          n, read.seconds(), tokenCount / read.seconds());
      out.printf(Locale.ROOT, "  %d generations; score records equal to the offline scorer's: %s (%d with records missing, %d doubled, "
          + "%d differing, %d unknown generations)%n", expected.size(), equal ? "every one" : "NO", missing, doubled, differing, unexpected);
    } finally {
      for (MonitorInstance instance : instances) {
        instance.close();
      }
    }
  }

  /** Starts {@code n} instances into {@code instances} (so that the caller closes them whatever happens) and waits for a stable group. */
  private void startGroup(String bootstrap, String prefix, int n, List<MonitorInstance> instances) throws Exception {
    for (int i = 0; i < n; i++) {
      instances.add(startInstance(bootstrap, prefix, i, "i" + i));
    }
    for (MonitorInstance instance : instances) {
      instance.awaitRunning(START_TIMEOUT);
    }
    awaitStableGroup(bootstrap, prefix + "app", n);
  }

  private MonitorInstance startInstance(String bootstrap, String prefix, int index, String name) throws IOException {
    int core = plan.pin() ? index % Runtime.getRuntime().availableProcessors() : -1;
    return MonitorInstance.start(plan, name, core, bootstrap, prefix + "app", prefix, work.resolve("state").resolve(prefix + name),
        work.resolve("logs").resolve(prefix + name + ".log"));
  }

  /** What the scores topic held by the end of a run: each generation's records in order, and the time they took. */
  private record ScoresRead(double seconds, Map<String, List<String>> records) {}

  /** Called with the count of summaries read so far, each time it grows. */
  private interface SummaryListener {
    void summaries(int count);
  }

  /** Reads the scores topic (committed records only) until every generation's summary is in, and a little longer. */
  private ScoresRead readScores(String bootstrap, String topic, SummaryListener listener) throws Exception {
    awaitTopic(bootstrap, topic);
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Map<String, List<String>> records = new HashMap<>();
    int summaries = 0;
    long first = 0;
    long last = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
      long drainUntil = Long.MAX_VALUE;
      while (System.nanoTime() < drainUntil) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the monitor did not close every generation within " + RUN_TIMEOUT.toMinutes()
              + " minutes: " + summaries + " of " + plan.generations() + " summaries (logs in " + work.resolve("logs") + ")");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          if (first == 0) {
            first = now;
          }
          ScoreRecord score = EventCodec.fromJson(record.value(), ScoreRecord.class);
          records.computeIfAbsent(score.generationId(), id -> new ArrayList<>()).add(new String(record.value(), UTF_8));
          if (ScoreRecord.SUMMARY.equals(score.kind())) {
            summaries++;
            last = now;
            if (listener != null) {
              listener.summaries(summaries);
            }
            if (summaries == plan.generations()) {
              drainUntil = now + DRAIN.toNanos();
            }
          }
        }
      }
    }
    return new ScoresRead((last - first) / 1e9, records);
  }

  /** What the offline scorer writes for each generation: the oracle of the rebalance run. */
  private Map<String, List<String>> offlineScores() {
    Map<String, List<GenerationEvent>> byGeneration = new LinkedHashMap<>();
    for (GenerationEvent e : workload) {
      byGeneration.computeIfAbsent(e.generationId(), id -> new ArrayList<>()).add(e);
    }
    Map<String, List<String>> scores = new LinkedHashMap<>();
    byGeneration.forEach((id, events) -> {
      List<String> records = new ArrayList<>();
      OfflineScorer scorer = new OfflineScorer(new ScoringEngine(ScoringSettings.DEFAULTS, false), "oracle",
          OfflineScorer.Sink.scoresOnly(json -> records.add(new String(json, UTF_8))));
      long line = 0;
      for (GenerationEvent e : events) {
        scorer.accept(EventCodec.encode(e), ++line);
      }
      scorer.finish();
      scores.put(id, records);
    });
    return scores;
  }

  private static void createTopic(String bootstrap, String topic) throws Exception {
    BenchTopics.create(bootstrap, topic, 3, (short) 3);
  }

  /** Waits until the monitor has created its output topic. */
  private static void awaitTopic(String bootstrap, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!admin.listTopics().names().get().contains(topic)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the monitor did not create " + topic);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Waits until the monitor's consumer group is stable with one member per instance. */
  private static void awaitStableGroup(String bootstrap, String group, int members) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (true) {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        if (d.groupState() == GroupState.STABLE && d.members().size() == members) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the group " + group + " did not settle with " + members + " members: " + d.groupState()
              + ", " + d.members().size() + " members");
        }
        Thread.sleep(200);
      }
    }
  }

  private void produce(String bootstrap, String topic) {
    BenchTopics.produce(bootstrap, topic, workload);
  }


  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
