package io.driftwatch.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.engine.GenerationState;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (its name keeps it out of the default test run, and it asserts no time): the
 * cost of one idle check at 10,000 open generations, as the punctuator did it before (read every state
 * from the RocksDB store, decoding each, to compare one timestamp) and as it does it now
 * ({@link IdleIndex}), with none of them idle, the usual case. Prints both and their ratio:
 *
 * <pre>
 * mvn -B -o -pl streams -am test -Dtest=IdleCheckBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class IdleCheckBenchmark {

  private static final int GENERATIONS = 10_000;
  private static final long NOW = Instant.parse("2026-12-04T12:00:00Z").toEpochMilli();
  private static final long TIMEOUT = 60_000;

  @Test
  void idleCheckAtTenThousandOpenGenerations() throws Exception {
    GenerationState state = typicalState();
    Path dir = Files.createTempDirectory("idle-bench");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "idle-bench");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    MockProcessorContext<String, Object> context = new MockProcessorContext<>(props, new TaskId(0, 0), dir.toFile());
    KeyValueStore<String, OpenGeneration> store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("open"),
        Serdes.String(), OpenGeneration.serde()).withLoggingDisabled().withCachingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    IdleIndex index = new IdleIndex(1000);
    Random random = new Random(19);
    for (int i = 0; i < GENERATIONS; i++) {
      // Seen within the last 30 s: none is idle, as at almost every check.
      long seen = NOW - random.nextInt(30_000);
      store.put("gen-" + i, new OpenGeneration(seen, state));
      index.touch("gen-" + i, seen);
    }
    store.flush();
    byte[] one = OpenGeneration.serde().serializer().serialize("t", new OpenGeneration(NOW, state));
    long cutoff = NOW - TIMEOUT;

    // Warm-up, then measured rounds of each.
    for (int i = 0; i < 20; i++) {
      assertThat(scan(store, cutoff)).isEqualTo(index.idleSince(cutoff));
    }
    int rounds = 50;
    long t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      scan(store, cutoff);
    }
    double scanMs = (System.nanoTime() - t0) / 1e6 / rounds;
    int indexRounds = 20_000;
    long t1 = System.nanoTime();
    int found = 0;
    for (int i = 0; i < indexRounds; i++) {
      found += index.idleSince(cutoff).size();
    }
    double indexMs = (System.nanoTime() - t1) / 1e6 / indexRounds;
    assertThat(found).isZero();
    // What the index costs instead: one touch per event that changes a state.
    int touches = 2_000_000;
    long t2 = System.nanoTime();
    for (int i = 0; i < touches; i++) {
      index.touch("gen-" + (i % GENERATIONS), NOW + i / 200);
    }
    double touchNs = (double) (System.nanoTime() - t2) / touches;
    System.out.printf(java.util.Locale.ROOT,
        "idle check at %,d open generations (state %,d bytes each, none idle): full scan of the store %.3f ms, "
            + "idle index %.5f ms, ratio %.0f : 1; the index costs %.0f ns per event (%d cores, load average %.2f)%n",
        GENERATIONS, one.length, scanMs, indexMs, scanMs / indexMs, touchNs, Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    store.close();
  }

  /** What the punctuator did before: every stored state decoded to read when it was last seen. */
  private static List<String> scan(KeyValueStore<String, OpenGeneration> store, long cutoff) {
    List<String> idle = new ArrayList<>();
    try (KeyValueIterator<String, OpenGeneration> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, OpenGeneration> entry = all.next();
        if (entry.value.lastSeenMillis() <= cutoff) {
          idle.add(entry.key);
        }
      }
    }
    return idle;
  }

  /** The state of a generation 200 tokens in, from the demo corpus. */
  private static GenerationState typicalState() {
    Scenario.Script script = Scenario.values()[0].script(DemoCorpus.load(), new Random(7), 200);
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, false);
    InMemoryGenerationStore store = new InMemoryGenerationStore();
    Instant t = Instant.parse("2026-12-04T11:59:00Z");
    engine.process(new GenerationEvent.Start(1, "g", "run", "model", script.prompt(), null, Map.of(), t), store);
    for (int seq = 0; seq < script.tokens().size(); seq++) {
      engine.process(new GenerationEvent.Token(1, "g", (long) seq, script.tokens().get(seq), null, -0.2, null,
          t.plusMillis(25L * seq)), store);
    }
    return store.get("g");
  }
}
