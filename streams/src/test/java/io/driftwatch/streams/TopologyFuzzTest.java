package io.driftwatch.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.InvalidEventException;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.contract.fuzz.Fuzz;
import io.driftwatch.contract.fuzz.FuzzEvents;
import io.driftwatch.contract.fuzz.Mutator;
import io.driftwatch.scoring.engine.Output;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.streams.ingest.DeadLetters;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.serde.JsonSerde;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the whole topology through the TopologyTestDriver: clean generations interleaved with noisy ones
 * and broken records on the tokens topic (null keys and values, keys that differ from the generation id,
 * non-JSON, random bytes, valid events mutated, events out of order, after the end, and so on).
 *
 * <p>The oracle is the contract and the offline engine: a record the decoder or the key check rejects
 * must reach the dead-letter topic with that rule; a valid record the engine rejects (with the same
 * engine offline, fed the same valid records) must reach it with the engine's reason; every other record
 * must not. So invalid in equals dead letters out, one for one by source offset, and nothing is lost. The
 * driver must never throw, and every generation's score records (the summaries of the clean generations
 * among them) must be exactly those of the offline engine.
 *
 * <p>Seeded: a failure names its case seed; see {@link Fuzz} to replay it or explore other cases.
 */
class TopologyFuzzTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private final Topics topics = Topics.defaults();
  /** Dead-letter reasons seen over all cases, to show what the cases covered. */
  private final Map<String, Integer> reasons = new TreeMap<>();

  @TempDir
  Path stateDir;

  @Test
  void everyBadRecordIsDeadLetteredWithItsReasonAndCleanGenerationsAreSummarised() {
    Fuzz.run("topology", 21, 30, this::check);
    System.out.println("dead letters by reason over all cases: " + reasons);
    if (Long.getLong("fuzz.seed") == null) {
      assertThat(reasons).containsKeys("key.required", "key.mismatch", "json.empty", "json.malformed", "json.not_object",
          "seq.out_of_order", "generation.closed");
    }
  }

  /** One record for the tokens topic. */
  private record Input(byte[] key, byte[] value) {}

  private void check(long seed) {
    Random r = new Random(seed);
    List<List<GenerationEvent>> clean = new ArrayList<>();
    List<List<GenerationEvent>> noisy = new ArrayList<>();
    List<String> noisyIds = new ArrayList<>();
    for (int g = 1 + r.nextInt(4); g > 0; g--) {
      clean.add(cleanGeneration(r, "clean-" + g + "-" + Long.toHexString(r.nextLong())));
    }
    for (int g = 1 + r.nextInt(5); g > 0; g--) {
      String id = FuzzEvents.id(r);
      noisyIds.add(id);
      noisy.add(noisyGeneration(r, id));
    }
    List<Input> inputs = interleave(r, clean, noisy, noisyIds);

    // The oracle: the decoder, the key check, and the offline engine on what gets through.
    ScoringEngine engine = new ScoringEngine(MonitorSettings.DEFAULTS.scoring());
    InMemoryGenerationStore store = new InMemoryGenerationStore();
    Map<Long, String> expectedDead = new TreeMap<>();
    Map<String, List<ScoreRecord>> expectedScores = new LinkedHashMap<>();
    for (int offset = 0; offset < inputs.size(); offset++) {
      Input in = inputs.get(offset);
      GenerationEvent event;
      try {
        event = EventCodec.decode(in.value());
        if (in.key() == null) {
          throw new InvalidEventException("key.required", "no key");
        }
        if (!Arrays.equals(in.key(), event.generationId().getBytes(UTF_8))) {
          throw new InvalidEventException("key.mismatch", "key differs");
        }
      } catch (InvalidEventException e) {
        expectedDead.put((long) offset, e.rule());
        continue;
      }
      Output out = engine.process(event, store);
      out.scores().forEach(s -> expectedScores.computeIfAbsent(s.generationId(), k -> new ArrayList<>()).add(s));
      if (!out.rejections().isEmpty()) {
        expectedDead.put((long) offset, out.rejections().get(0).reason());
      }
    }

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-fuzz");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(Long.toString(seed)).toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(
        DriftwatchTopology.build(TopologyOptions.builder(topics, new DriftwatchMetrics(new PrometheusRegistry(), 10)).build()), props, T0)) {
      TestInputTopic<byte[], byte[]> tokens = driver.createInputTopic(topics.tokens(), new ByteArraySerializer(), new ByteArraySerializer());
      for (Input in : inputs) {
        tokens.pipeInput(in.key(), in.value());
      }
      TestOutputTopic<String, DeadLetter> deadLetters =
          driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(), JsonSerde.of(DeadLetter.class).deserializer());
      TestOutputTopic<String, ScoreRecord> scores =
          driver.createOutputTopic(topics.scores(), new StringDeserializer(), JsonSerde.of(ScoreRecord.class).deserializer());

      Map<Long, String> dead = new TreeMap<>();
      for (TestRecord<String, DeadLetter> letter : deadLetters.readRecordsToList()) {
        DeadLetter d = letter.value();
        assertThat(dead.put(d.sourceOffset(), d.reason())).as("two dead letters for offset %d", d.sourceOffset()).isNull();
        assertThat(d.message()).as("dead letter %s", d).isNotBlank();
        assertThat(new String(letter.headers().lastHeader(DeadLetters.REASON).value(), UTF_8)).isEqualTo(d.reason());
        Input in = inputs.get(d.sourceOffset().intValue());
        assertThat(d.payload() == null).as("payload kept of offset %d", d.sourceOffset()).isEqualTo(in.value() == null);
      }
      assertThat(dead).as("dead letters by source offset (invalid in == dead letters out)").isEqualTo(expectedDead);
      dead.values().forEach(reason -> reasons.merge(reason, 1, Integer::sum));

      Map<String, List<ScoreRecord>> actual = new LinkedHashMap<>();
      for (ScoreRecord s : scores.readValuesToList()) {
        actual.computeIfAbsent(s.generationId(), k -> new ArrayList<>()).add(s);
      }
      assertThat(actual).as("score records per generation, as the offline engine gives them").isEqualTo(expectedScores);
      for (List<GenerationEvent> generation : clean) {
        String id = generation.get(0).generationId();
        List<ScoreRecord> records = actual.get(id);
        assertThat(records).as("records of clean generation %s", id).isNotEmpty();
        assertThat(records).filteredOn(s -> s.kind().equals(ScoreRecord.SUMMARY)).singleElement()
            .satisfies(s -> assertThat(s.closeReason()).startsWith("end:"));
      }
    }
  }

  /** Start, tokens and chunks in order, end: nothing for the monitor to object to. */
  private static List<GenerationEvent> cleanGeneration(Random r, String id) {
    List<GenerationEvent> events = new ArrayList<>();
    events.add(FuzzEvents.start(r, id, T0));
    long seq = 0;
    for (int step = 1, n = 5 + r.nextInt(150); seq < n; step++) {
      Instant at = T0.plusMillis(25L * step);
      if (r.nextInt(4) == 0) {
        int size = 1 + r.nextInt(6);
        events.add(FuzzEvents.chunk(r, id, seq, size, at));
        seq += size;
      } else {
        events.add(FuzzEvents.token(r, id, seq++, at));
      }
    }
    events.add(FuzzEvents.end(r, id, T0.plusSeconds(60)));
    return events;
  }

  /** A generation with the irregularities the engine rejects or tolerates: missing start, repeats, late events. */
  private static List<GenerationEvent> noisyGeneration(Random r, String id) {
    List<GenerationEvent> events = new ArrayList<>();
    if (r.nextInt(3) > 0) {
      events.add(FuzzEvents.start(r, id, T0));
    }
    long seq = 0;
    for (int step = 1, n = r.nextInt(80); step < n; step++) {
      Instant at = FuzzEvents.time(r, T0, step);
      int pick = r.nextInt(20);
      if (pick == 0 && seq > 0) {
        seq -= 1 + r.nextInt((int) Math.min(seq, 3));
      } else if (pick == 1) {
        seq += 2;
      } else if (pick == 2) {
        events.add(FuzzEvents.start(r, id, at));
      }
      events.add(FuzzEvents.token(r, id, seq++, at));
    }
    if (r.nextInt(4) > 0) {
      events.add(FuzzEvents.end(r, id, T0.plusSeconds(60)));
      if (r.nextBoolean()) {
        events.add(FuzzEvents.token(r, id, seq, T0.plusSeconds(61)));
      }
    }
    return events;
  }

  /**
   * Merges the generations in random order, each in its own order. Clean generations go in as they are;
   * records of noisy ones are broken some of the time, and some records are junk on their own.
   */
  private static List<Input> interleave(Random r, List<List<GenerationEvent>> clean, List<List<GenerationEvent>> noisy,
      List<String> noisyIds) {
    List<List<GenerationEvent>> all = new ArrayList<>(clean);
    all.addAll(noisy);
    Set<Integer> cleanIndexes = new HashSet<>();
    for (int i = 0; i < clean.size(); i++) {
      cleanIndexes.add(i);
    }
    int[] next = new int[all.size()];
    int remaining = all.stream().mapToInt(List::size).sum();
    List<Input> out = new ArrayList<>();
    while (remaining > 0) {
      if (r.nextInt(15) == 0) {
        out.add(junk(r, noisyIds));
      }
      int g = r.nextInt(all.size());
      if (next[g] >= all.get(g).size()) {
        continue;
      }
      GenerationEvent event = all.get(g).get(next[g]++);
      remaining--;
      byte[] key = event.generationId().getBytes(UTF_8);
      byte[] value = EventCodec.encode(event);
      out.add(cleanIndexes.contains(g) ? new Input(key, value) : maybeBreak(r, key, value, noisyIds));
    }
    return out;
  }

  private static Input maybeBreak(Random r, byte[] key, byte[] value, List<String> noisyIds) {
    return switch (r.nextInt(25)) {
      case 0 -> new Input(null, value);
      case 1 -> new Input(noisyIds.get(r.nextInt(noisyIds.size())).concat("-other").getBytes(UTF_8), value);
      case 2 -> new Input(key, null);
      case 3, 4 -> new Input(key, Mutator.mutate(value, r).bytes());
      case 5 -> new Input(new byte[] {(byte) 0xff, (byte) 0xfe}, value);
      default -> new Input(key, value);
    };
  }

  /** A record that is not an event at all, under some key or none. */
  private static Input junk(Random r, List<String> noisyIds) {
    byte[] key = r.nextBoolean() ? null : noisyIds.get(r.nextInt(noisyIds.size())).getBytes(UTF_8);
    return switch (r.nextInt(6)) {
      case 0 -> new Input(key, null);
      case 1 -> new Input(key, new byte[0]);
      case 2 -> new Input(key, "hello, not json".getBytes(UTF_8));
      case 3 -> new Input(key, "[1,2,3]".getBytes(UTF_8));
      case 4 -> {
        byte[] bytes = new byte[1 + r.nextInt(200)];
        r.nextBytes(bytes);
        yield new Input(key, bytes);
      }
      default -> new Input(key, Mutator.mutate(EventCodec.encode(FuzzEvents.any(r)), r).bytes());
    };
  }
}
