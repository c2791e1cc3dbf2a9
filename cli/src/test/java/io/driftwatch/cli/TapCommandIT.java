package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code driftwatch tap} as a user runs it: its own process in front of an OpenAI-speaking server,
 * publishing to a real broker, stopped with Ctrl-C (SIGINT; SIGTERM where the build runs with SIGINT ignored).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TapCommandIT {

  private static final String SECRET = "sk-test-SECRET";
  private static final String STREAM = String.join("",
      "data: {\"id\":\"chatcmpl-cli1\",\"object\":\"chat.completion.chunk\",\"created\":1732429200,\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
      "data: {\"id\":\"chatcmpl-cli1\",\"object\":\"chat.completion.chunk\",\"created\":1732429200,\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
      "data: {\"id\":\"chatcmpl-cli1\",\"object\":\"chat.completion.chunk\",\"created\":1732429200,\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
      "data: {\"id\":\"chatcmpl-cli1\",\"object\":\"chat.completion.chunk\",\"created\":1732429200,\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n",
      "data: [DONE]\n\n");

  @Test
  void theTapRelaysPublishesServesMetricsAndStopsOnCtrlC(EmbeddedKafkaBroker kafka) throws Exception {
    List<String> authorizations = new ArrayList<>();
    HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (String event : STREAM.split("(?<=\n\n)")) {
          out.write(event.getBytes(UTF_8));
          out.flush();
        }
      }
    });
    upstream.start();
    kafka.createTopic("tapcli.tokens", 3);
    int tapPort = freePort();
    int metricsPort = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process tap = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.driftwatch.cli.Driftwatch", "tap",
        "--upstream", "http://127.0.0.1:" + upstream.getAddress().getPort(), "--bootstrap", kafka.bootstrapServers(),
        "--port", String.valueOf(tapPort), "--metrics-port", String.valueOf(metricsPort), "--topic-prefix", "tapcli.",
        "--run-id", "cli-it", "--attribute", "deployment=test", "--chunk-linger", "5s")
        .redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    Thread reader = reading(tap, output);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!output.toString().contains("Press Ctrl-C") && tap.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(output.toString()).contains("Driftwatch tap listening on http://127.0.0.1:" + tapPort, "topic tapcli.tokens",
          "http://127.0.0.1:" + metricsPort + "/metrics");

      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tapPort + "/v1/chat/completions"))
          .header("Authorization", "Bearer " + SECRET).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(new String(response.body(), UTF_8)).isEqualTo(STREAM);
      assertThat(authorizations).containsExactly("Bearer " + SECRET);

      // A linger longer than the stream: its two tokens go out as one chunk, sent before the end.
      List<GenerationEvent> events = readTokens(kafka.bootstrapServers(), "tapcli.tokens", 3);
      assertThat(events).hasSize(3);
      GenerationEvent.Start start = (GenerationEvent.Start) events.get(0);
      // The upstream's id is too short to be unique, so the tap made the generation's its own.
      assertThat(start.generationId()).matches("chatcmpl-cli1~[0-9a-f]+:0");
      assertThat(start.attributes()).containsEntry("response_id", "chatcmpl-cli1");
      assertThat(start.runId()).isEqualTo("cli-it");
      assertThat(start.prompt()).isEqualTo("user: Say hello.");
      assertThat(start.attributes()).containsEntry("deployment", "test").containsEntry("endpoint", "chat.completions");
      assertThat(((GenerationEvent.Chunk) events.get(1)).expand()).extracting(GenerationEvent.Token::seq, GenerationEvent.Token::text)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, "Hello"), org.assertj.core.groups.Tuple.tuple(1L, " there"));
      assertThat(((GenerationEvent.End) events.get(2)).finishReason()).isEqualTo("stop");

      String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("driftwatch_tap_requests_total{path=\"/v1/chat/completions\",status=\"200\"} 1.0",
          "driftwatch_tap_chunk_relay_seconds_count");

      // A build started in the background by a non-interactive shell passes SIGINT on ignored, and the JVM
      // then keeps ignoring it, as a terminal's Ctrl-C would be: the same shutdown then comes by SIGTERM.
      String signal = ignoresSigint(tap) ? "-TERM" : "-INT";
      Process interrupt = new ProcessBuilder("kill", signal, String.valueOf(tap.pid())).inheritIO().start();
      assertThat(interrupt.waitFor(10, TimeUnit.SECONDS)).isTrue();
      boolean stopped = tap.waitFor(30, TimeUnit.SECONDS);
      assertThat(stopped).as("the tap stops on kill %s; its output:%n%s%nits threads:%n%s", signal, output, stopped ? "" : threadDump(tap))
          .isTrue();
      reader.join(5_000);
      assertThat(output.toString()).contains("Driftwatch tap stopped: 1 requests, 1 generations; events published 3 (2 tokens), dropped 0, failed 0.");
      assertThat(output.toString()).doesNotContain("SECRET");
    } finally {
      tap.destroyForcibly();
      upstream.stop(0);
    }
  }

  @Test
  void withoutKafkaTheTapWarnsOnceAndRelaysAnyway() throws Exception {
    HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(STREAM.getBytes(UTF_8));
      }
    });
    upstream.start();
    int kafkaPort = freePort(); // nothing listens there
    int tapPort = freePort();
    int metricsPort = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    long started = System.nanoTime();
    Process tap = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.driftwatch.cli.Driftwatch", "tap",
        "--upstream", "http://127.0.0.1:" + upstream.getAddress().getPort(), "--bootstrap", "127.0.0.1:" + kafkaPort,
        "--port", String.valueOf(tapPort), "--metrics-port", String.valueOf(metricsPort))
        .redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    reading(tap, output);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!output.toString().contains("Press Ctrl-C") && tap.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(output.toString()).as(output.toString()).contains("Press Ctrl-C");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("started within seconds").isLessThan(Duration.ofSeconds(20));

      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tapPort + "/v1/chat/completions"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(new String(response.body(), UTF_8)).isEqualTo(STREAM);

      HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/health/ready"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as("the tap fails open: ready while Kafka is away").isEqualTo(200);
      assertThat(ready.body()).contains("\"kafka_reachable\":false");

      Thread.sleep(6_000); // more than a probe interval: the probes must not say it again
      long warnings = output.toString().lines().filter(l -> l.contains("127.0.0.1:" + kafkaPort) && l.contains("not reachable")
          || l.contains("Kafka unreachable since")).count();
      assertThat(warnings).as(output.toString()).isEqualTo(1);
      assertThat(output.toString()).contains("connection refused");
    } finally {
      tap.destroyForcibly();
      upstream.stop(0);
    }
  }

  /** Copies the process's output, line by line, as it comes. */
  /** Whether the process ignores SIGINT (signal 2, bit 1 of the SigIgn mask in /proc/PID/status). */
  private static boolean ignoresSigint(Process process) throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0x2) != 0;
      }
    }
    return false;
  }

  /** The threads of a running JVM, by the JDK's jcmd beside the java running this test; or why not. */
  private static String threadDump(Process process) {
    try {
      String java = ProcessHandle.current().info().command().orElseThrow();
      String jcmd = java.substring(0, java.length() - "java".length()) + "jcmd";
      Process dump = new ProcessBuilder(jcmd, String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
      String text = new String(dump.getInputStream().readAllBytes(), UTF_8);
      dump.waitFor(10, TimeUnit.SECONDS);
      return text;
    } catch (Exception e) {
      return "(no thread dump: " + e + ")";
    }
  }

  private static Thread reading(Process process, StringBuffer output) {
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.append(line).append('\n');
        }
      } catch (Exception e) {
        output.append("(reading the tap's output failed: ").append(e).append(")\n");
      }
    });
    reader.start();
    return reader;
  }

  private static List<GenerationEvent> readTokens(String bootstrap, String topic, int expected) throws Exception {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    List<GenerationEvent> events = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      List<TopicPartition> partitions = List.of();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (events.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          events.add(EventCodec.decode(r.value()));
        }
      }
    }
    return events;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
