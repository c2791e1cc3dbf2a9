package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.app.MonitorAppSettings;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwatch replay} against a real broker and the real monitor: archives of prompt/text rows, as
 * JSON lines (gzipped) and as one JSON array, each with a bad row, give a summary for every good row;
 * replaying them again under another run id gives the same scores row by row.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ReplayCommandIT {

  @Test
  void replayedRowsAreScoredAndASecondReplayScoresTheSame(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    List<String> rows = rows(8);
    Path jsonl = dir.resolve("rows.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(jsonl))) {
      out.write((String.join("\n", rows.subList(0, 4)) + "\n{\"prompt\": \"no text\"}\n").getBytes(UTF_8));
    }
    Path array = Files.writeString(dir.resolve("rows.json"), "[\n" + String.join(",\n", rows.subList(4, 8)) + ",\n{\"text\": 42}\n]\n");

    Topics topics = Topics.withPrefix("replay-it.");
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("replay-it").topics(topics).metricsPort(0).build();
    Map<String, List<String>> scores;
    try (MonitorApp app = MonitorApp.start(settings)) {
      for (String run : List.of("first", "second")) {
        String[] output = run(kafka, topics, run, jsonl.toString(), array.toString());
        assertThat(output[1]).contains("8 generations", "2 bad rows skipped", "rows.jsonl.gz:5: no generated text",
            "rows.json:6: no generated text");
      }
      // The same run id again would have every event dead-lettered as closed: refused, in one line, nothing sent.
      ArchiveFixtures.Run again = ArchiveFixtures.run("replay", "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "replay-it.",
          "--run-id", "first", jsonl.toString());
      assertThat(again.status()).isEqualTo(1);
      // The monitor runs in this JVM and logs to the same stderr (timestamped lines): only the command's own lines count.
      List<String> said = again.err().lines().filter(line -> !line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList();
      assertThat(said).singleElement().asString().startsWith("driftwatch: run id 'first' is on replay-it.tokens already");
      scores = readScores(kafka, topics.scores(), 16);
    }

    for (String row : List.of("rows.jsonl.gz:1", "rows.jsonl.gz:4", "rows.json:2", "rows.json:5")) {
      List<String> first = scores.get("first:" + row);
      List<String> second = scores.get("second:" + row);
      assertThat(first).as(row).isNotNull().anyMatch(r -> r.contains("\"kind\":\"summary\""));
      assertThat(second).as(row).hasSameSizeAs(first);
      for (int i = 0; i < first.size(); i++) {
        ScoreRecord a = EventCodec.fromJson(first.get(i).getBytes(UTF_8), ScoreRecord.class);
        ScoreRecord b = EventCodec.fromJson(second.get(i).getBytes(UTF_8), ScoreRecord.class);
        assertThat(b.scores()).as(row).isEqualTo(a.scores());
        assertThat(b.sentence()).isEqualTo(a.sentence());
        assertThat(b.firstSeq()).isEqualTo(a.firstSeq());
        assertThat(b.lastSeq()).isEqualTo(a.lastSeq());
      }
    }
    assertThat(scores.keySet().stream().filter(k -> k.startsWith("first:"))).hasSize(8);

    // compare reads both runs from the scores topic by run id: the rows line up, and two replays of one
    // archive do not differ at all.
    Path json = dir.resolve("compare.json");
    ArchiveFixtures.Run compare = ArchiveFixtures.run("compare", "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "replay-it.",
        "--run-id", "first", "--run-id", "second", "--json", json.toString());
    assertThat(compare.status()).as(compare.err()).isZero();
    assertThat(compare.out()).contains("A run has fewer than 20 generations", "baseline first (8 generations); second (8)")
        .doesNotContain("differs");
    var report = EventCodec.MAPPER.readTree(json.toFile());
    assertThat(report.path("aligned_rows").path("second").asInt()).isEqualTo(8);
    assertThat(report.path("changed_rows")).isEmpty();
    assertThat(report.path("differences")).isNotEmpty().allSatisfy(d -> assertThat(d.path("mean_difference").asDouble()).isZero());
    ArchiveFixtures.Run unknown = ArchiveFixtures.run("compare", "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "replay-it.",
        "--run-id", "first", "--run-id", "third");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("run id 'third' has no summary record on replay-it.scores");
  }

  /**
   * A folder of a JSON array, JSON lines and an SSE capture, replayed through the real broker and monitor,
   * gives the score records that {@code score} writes for it offline, byte for byte.
   */
  @Test
  void scoreOfflineGivesTheMonitorsRecordsByteForByte(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    Path folder = ArchiveFixtures.folderOfArchives(dir);
    Topics topics = Topics.withPrefix("score-it.");
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("score-it").topics(topics).metricsPort(0).build();
    Map<String, List<String>> monitored;
    try (MonitorApp app = MonitorApp.start(settings)) {
      ArchiveFixtures.Run replay = ArchiveFixtures.run("replay", "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "score-it.",
          "--run-id", "same", "--time", "2026-12-01T08:00:00Z", folder.toString());
      assertThat(replay.status()).as(replay.err()).isZero();
      monitored = readScores(kafka, topics.scores(), 7);
    }
    ArchiveFixtures.Run offline = ArchiveFixtures.run("score", "--no-semantic", folder.toString(), "--run-id", "same",
        "--time", "2026-12-01T08:00:00Z");
    assertThat(offline.status()).as(offline.err()).isZero();
    Map<String, List<String>> scored = new HashMap<>();
    for (String line : offline.out().lines().toList()) {
      scored.computeIfAbsent(EventCodec.MAPPER.readTree(line).path("generation_id").asText(), k -> new ArrayList<>()).add(line);
    }
    assertThat(scored).hasSize(7);
    assertThat(monitored).isEqualTo(scored);
  }

  /** Demo scenario texts as rows, with the common field names. */
  private static List<String> rows(int n) {
    DemoCorpus corpus = DemoCorpus.load();
    Random random = new Random(5);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Scenario.Script script = Scenario.values()[i % Scenario.values().length].script(corpus, random, 200);
      Map<String, Object> row = Map.of("prompt", script.prompt(), "completion", String.join("", script.tokens()), "model", "archived-model");
      out.add(new String(EventCodec.toJson(row), UTF_8));
    }
    return out;
  }

  private static String[] run(EmbeddedKafkaBroker kafka, Topics topics, String runId, String... files) {
    List<String> args = new ArrayList<>(List.of("replay", "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "replay-it.",
        "--run-id", runId));
    args.addAll(List.of(files));
    ArchiveFixtures.Run replay = ArchiveFixtures.run(args.toArray(String[]::new));
    assertThat(replay.status()).isZero();
    return new String[] {replay.out(), replay.err()};
  }

  private static Map<String, List<String>> readScores(EmbeddedKafkaBroker kafka, String topic, int generations) throws java.io.IOException {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "replay-it-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, List<String>> out = new HashMap<>();
    int summaries = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (summaries < generations && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          out.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(new String(record.value(), UTF_8));
          if (EventCodec.fromJson(record.value(), ScoreRecord.class).kind().equals(ScoreRecord.SUMMARY)) {
            summaries++;
          }
        }
      }
    }
    return out;
  }
}
