package io.driftwatch.streams.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole slice against a real broker, fed by kcat, a third-party Kafka client: proof that any client
 * can produce Driftwatch events by following docs/events.md.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class KcatEndToEndIT {

  @Test
  void eventsProducedWithKcatYieldScoresDeadLettersAndMetrics(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    String kcat = findOnPath("kcat");
    assumeTrue(kcat != null, "kcat is not installed; install it with: apt-get install -y kcat");

    Topics topics = Topics.withPrefix("kcat-it.");
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("kcat-it").topics(topics).metricsPort(0).build();
    try (MonitorApp app = MonitorApp.start(settings)) {
      Path input = dir.resolve("events.txt");
      Files.writeString(input, kcatLines(), UTF_8);
      Process process = new ProcessBuilder(kcat, "-P", "-b", kafka.bootstrapServers(), "-t", topics.tokens(),
          "-K", "|", "-X", "topic.partitioner=murmur2_random")
          .redirectInput(input.toFile())
          .redirectErrorStream(true)
          .start();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes(), UTF_8)).isZero();

      List<ScoreRecord> scores = consume(kafka, topics.scores(), 3, ScoreRecord.class);
      assertThat(scores).extracting(ScoreRecord::generationId).containsOnly("kcat-1");
      assertThat(scores).extracting(ScoreRecord::kind).containsExactly("sentence", "sentence", "summary");
      assertThat(scores.get(2).tokens()).isEqualTo(8);
      assertThat(scores.get(2).sentences()).isEqualTo(2);
      assertThat(scores.get(2).closeReason()).isEqualTo("end:stop");
      assertThat(scores.get(2).model()).isEqualTo("kcat-model");

      List<DeadLetter> letters = consume(kafka, topics.deadLetters(), 1, DeadLetter.class);
      assertThat(letters).singleElement().satisfies(l -> {
        assertThat(l.reason()).isEqualTo("type.unknown");
        assertThat(l.payload()).contains("\"type\":\"tokn\"");
      });

      String metrics = HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).build(), HttpResponse.BodyHandlers.ofString())
          .body();
      assertThat(counter(metrics, "driftwatch_tokens_total{model=\"kcat-model\",run=\"r1\"}")).isEqualTo(8.0);
      assertThat(counter(metrics, "driftwatch_dead_letters_total{reason=\"type.unknown\"}")).isEqualTo(1.0);
    }
  }

  /** A generation of two sentences in 8 tokens (a chunk of 4 among them), and a record with a misspelt type. */
  private static String kcatLines() {
    String t = "\"event_time\":\"2026-11-24T06:00:00Z\"";
    StringBuilder lines = new StringBuilder();
    lines.append("kcat-1|{\"v\":1,\"type\":\"start\",\"generation_id\":\"kcat-1\",\"run_id\":\"r1\",\"model\":\"kcat-model\",\"prompt\":\"Say something.\",").append(t).append("}\n");
    String[] words = {"Hello", " there", " world", "."};
    for (int seq = 0; seq < 4; seq++) {
      lines.append("kcat-1|{\"v\":1,\"type\":\"token\",\"generation_id\":\"kcat-1\",\"seq\":").append(seq)
          .append(",\"text\":\"").append(words[seq]).append("\",\"event_time\":\"2026-11-24T06:00:0").append(seq).append("Z\"}\n");
    }
    lines.append("kcat-1|{\"v\":1,\"type\":\"tokn\",\"generation_id\":\"kcat-1\",").append(t).append("}\n");
    lines.append("kcat-1|{\"v\":1,\"type\":\"chunk\",\"generation_id\":\"kcat-1\",\"seq\":4,\"tokens\":[{\"text\":\" It\"},{\"text\":\" is\"},{\"text\":\" sunny\"},{\"text\":\".\"}],\"event_time\":\"2026-11-24T06:00:05Z\"}\n");
    lines.append("kcat-1|{\"v\":1,\"type\":\"end\",\"generation_id\":\"kcat-1\",\"finish_reason\":\"stop\",").append(t).append("}\n");
    return lines.toString();
  }

  static <T> List<T> consume(EmbeddedKafkaBroker kafka, String topic, int atLeast, Class<T> type) throws Exception {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic + "-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < atLeast && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          out.add(EventCodec.fromJson(record.value(), type));
        }
      }
      // Anything more than expected would be a bug too: read a little longer.
      for (var record : consumer.poll(Duration.ofSeconds(1))) {
        out.add(EventCodec.fromJson(record.value(), type));
      }
    }
    return out;
  }

  static double counter(String exposition, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  static String findOnPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, program);
      if (candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return null;
  }
}
