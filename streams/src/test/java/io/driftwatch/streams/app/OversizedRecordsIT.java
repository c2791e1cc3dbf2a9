package io.driftwatch.streams.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.streams.Interleaved;
import io.driftwatch.streams.OfflineOracle;
import io.driftwatch.streams.web.WebSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records up to the broker's limit (about 1 MB) interleaved with valid generations on every partition
 * of a real broker: random bytes, huge JSON that is not an event, a token text far over the limit,
 * and, valid, a start with a huge prompt and a chunk of 4,096 long tokens. Each valid generation must
 * score exactly as the offline scorer scores it, each bad record must have its dead letter, and no
 * stream thread may fail (a failed thread is replaced under another name).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OversizedRecordsIT {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private static final int PARTITIONS = 3;
  private static final int NEAR_LIMIT = 990_000;

  @Test
  void recordsNearTheBrokerLimitNeverStopScoring(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    Topics topics = Topics.withPrefix("oversized.");
    Random random = new Random(19);
    Map<String, List<GenerationEvent>> generations = generations(random);
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("oversized-it").topics(topics).metricsPort(0).streamThreads(2)
        .web(WebSettings.on("127.0.0.1", 0)).build();

    Map<String, List<String>> streamed;
    Map<String, DeadLetter> letters;
    Map<String, byte[]> bad = new LinkedHashMap<>();
    try (MonitorApp app = MonitorApp.start(settings)) {
      Set<String> threadsBefore = threadNames(app);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(kafka),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        List<ProducerRecord<byte[], byte[]>> valid = Interleaved.roundRobin(generations.values()).stream()
            .map(e -> new ProducerRecord<>(topics.tokens(), e.generationId().getBytes(UTF_8), EventCodec.encode(e))).toList();
        int badEvery = valid.size() / 12;
        int kind = 0;
        for (int i = 0; i < valid.size(); i++) {
          producer.send(valid.get(i));
          if (i % badEvery == badEvery / 2) {
            byte[] key = keyOnPartition("bad-" + kind, kind % PARTITIONS).getBytes(UTF_8);
            byte[] value = badValue(kind++, random);
            RecordMetadata at = producer.send(new ProducerRecord<>(topics.tokens(), key, value)).get();
            bad.put(at.partition() + "@" + at.offset(), value);
          }
        }
        producer.flush();
      }
      assertThat(bad.keySet().stream().map(k -> k.substring(0, k.indexOf('@'))).collect(Collectors.toSet()))
          .as("bad records on every partition").hasSize(PARTITIONS);
      streamed = readScores(kafka, topics.scores(), generations.size());
      letters = readDeadLetters(kafka, topics.deadLetters(), bad.size());
      assertThat(threadNames(app)).as("stream threads, none replaced").isEqualTo(threadsBefore);
      assertThat(app.state().isRunningOrRebalancing()).isTrue();
      assertThat(app.metrics().outputsReplacedTotal()).isZero();
    }

    assertThat(letters.keySet()).containsExactlyInAnyOrderElementsOf(bad.keySet());
    bad.forEach((at, value) -> {
      DeadLetter letter = letters.get(at);
      assertThat(letter.payloadBytes()).as(at).isEqualTo(value.length);
      assertThat(letter.payloadSha256()).as(at).isEqualTo(DeadLetter.sha256(value));
      assertThat(letter.payloadTruncated()).as(at).isTrue();
    });

    Map<String, List<String>> offline = OfflineOracle.scores(generations);
    assertThat(streamed.keySet()).containsExactlyInAnyOrderElementsOf(generations.keySet());
    for (String id : generations.keySet()) {
      assertThat(streamed.get(id)).as(id).containsExactlyElementsOf(offline.get(id));
    }
  }

  /** Two ordinary generations on each partition, one with a huge prompt and one made of a huge chunk. */
  private static Map<String, List<GenerationEvent>> generations(Random random) {
    DemoCorpus corpus = DemoCorpus.load();
    Map<String, List<GenerationEvent>> out = new LinkedHashMap<>();
    for (int i = 0; i < 2 * PARTITIONS; i++) {
      Scenario scenario = Scenario.values()[i % Scenario.values().length];
      Scenario.Script script = scenario.script(corpus, random, 120);
      String id = keyOnPartition("ok-" + scenario.label() + "-" + i, i % PARTITIONS);
      List<GenerationEvent> events = new ArrayList<>();
      events.add(new GenerationEvent.Start(1, id, "it", "model", script.prompt(), null, Map.of(), T0));
      for (int seq = 0; seq < script.tokens().size(); seq++) {
        events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, -0.1 * (seq % 7), null,
            T0.plusMillis(25L * seq)));
      }
      events.add(new GenerationEvent.End(1, id, "stop", T0.plusSeconds(10)));
      out.put(id, events);
    }

    String prompted = keyOnPartition("ok-huge-prompt", 0);
    String prompt = "Tell me about the sea. ".repeat(NEAR_LIMIT / 23);
    out.put(prompted, List.of(
        new GenerationEvent.Start(1, prompted, "it", "model", prompt, null, Map.of(), T0),
        new GenerationEvent.Token(1, prompted, 0L, "The sea is wide.", null, null, null, T0),
        new GenerationEvent.Token(1, prompted, 1L, " It is deep and old.", null, null, null, T0.plusMillis(40)),
        new GenerationEvent.End(1, prompted, "stop", T0.plusSeconds(1))));

    // 4,096 tokens of some 230 characters each: a chunk just under the limit.
    String chunked = keyOnPartition("ok-huge-chunk", 1);
    List<GenerationEvent.ChunkToken> tokens = new ArrayList<>();
    String[] words = {"harbour", "lantern", "morning", "quiet", "river", "stone", "window", "evening"};
    for (int seq = 0; seq < 4096; seq++) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 220) {
        text.append(' ').append(words[random.nextInt(words.length)]);
      }
      text.append(seq % 3 == 0 ? "." : ",");
      tokens.add(new GenerationEvent.ChunkToken(text.toString(), null, null, null));
    }
    out.put(chunked, List.of(
        new GenerationEvent.Start(1, chunked, "it", "model", "Describe a harbour.", null, Map.of(), T0),
        new GenerationEvent.Chunk(1, chunked, 0L, tokens, T0.plusSeconds(5)),
        new GenerationEvent.End(1, chunked, "stop", T0.plusSeconds(6))));
    for (String id : List.of(prompted, chunked)) {
      assertThat(EventCodec.encode(out.get(id).get(id.equals(prompted) ? 0 : 1)).length).as(id).isBetween(900_000, 1_040_000);
    }
    return out;
  }

  /** Cycles through the kinds of bad record, each about as large as the broker takes. */
  private static byte[] badValue(int kind, Random random) {
    switch (kind % 4) {
      case 0 -> {
        byte[] bytes = new byte[NEAR_LIMIT];
        random.nextBytes(bytes);
        return bytes;
      }
      case 1 -> {
        // Valid JSON, but an array, not an event.
        StringBuilder json = new StringBuilder("[");
        while (json.length() < NEAR_LIMIT) {
          json.append("{\"text\":\"a long string of nothing much\"},");
        }
        json.setCharAt(json.length() - 1, ']');
        return json.toString().getBytes(UTF_8);
      }
      case 2 -> {
        // A token whose text is fifteen times the 65,536 characters allowed.
        String text = "ä".repeat(NEAR_LIMIT / 2 - 200);
        return ("{\"v\":1,\"type\":\"token\",\"generation_id\":\"x\",\"seq\":0,\"event_time\":\"2026-11-24T06:00:00Z\",\"text\":\""
            + text + "\"}").getBytes(UTF_8);
      }
      default -> {
        // Valid JSON object with one huge unknown field and no type.
        return ("{\"v\":1,\"generation_id\":\"x\",\"junk\":\"" + "z".repeat(NEAR_LIMIT) + "\"}").getBytes(UTF_8);
      }
    }
  }

  /** The first id beginning with {@code base} that the default partitioner puts on {@code partition}. */
  private static String keyOnPartition(String base, int partition) {
    for (int i = 0; ; i++) {
      String id = base + "-" + i;
      if (Utils.toPositive(Utils.murmur2(id.getBytes(UTF_8))) % PARTITIONS == partition) {
        return id;
      }
    }
  }

  private static Properties producerConfig(EmbeddedKafkaBroker kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
    return p;
  }

  private static Set<String> threadNames(MonitorApp app) {
    return app.streams().metadataForLocalThreads().stream().map(ThreadMetadata::threadName).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Properties consumerConfig(EmbeddedKafkaBroker kafka, String group) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return c;
  }

  private static Map<String, List<String>> readScores(EmbeddedKafkaBroker kafka, String topic, int generations) throws Exception {
    Map<String, List<String>> out = new HashMap<>();
    Set<String> summarised = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka, "oversized-scores"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (summarised.size() < generations && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          out.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(new String(record.value(), UTF_8));
          if (EventCodec.fromJson(record.value(), ScoreRecord.class).kind().equals(ScoreRecord.SUMMARY)) {
            summarised.add(record.key());
          }
        }
      }
      // Anything after the summaries would be a duplicate: read on briefly to catch it.
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
        out.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(new String(record.value(), UTF_8));
      }
    }
    return out;
  }

  /** Dead letters by where their record was, "partition@offset". */
  private static Map<String, DeadLetter> readDeadLetters(EmbeddedKafkaBroker kafka, String topic, int expected) throws Exception {
    Map<String, DeadLetter> out = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka, "oversized-letters"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          DeadLetter letter = EventCodec.fromJson(record.value(), DeadLetter.class);
          assertThat(out.put(letter.sourcePartition() + "@" + letter.sourceOffset(), letter)).as("one dead letter a record").isNull();
        }
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
        DeadLetter letter = EventCodec.fromJson(record.value(), DeadLetter.class);
        assertThat(out.put(letter.sourcePartition() + "@" + letter.sourceOffset(), letter)).as("one dead letter a record").isNull();
      }
    }
    return out;
  }
}
