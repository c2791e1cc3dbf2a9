package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the foundation issue asks a user to see: the demo runs for a fixed time and exits 0; while it
 * runs, the metrics endpoint counts tokens and kcat reads score records from the scores topic.
 */
class DemoCommandIT {

  @Test
  void demoServesMetricsAndScoresThenExitsCleanly() throws Exception {
    String kcat = findOnPath("kcat");
    assumeTrue(kcat != null, "kcat is not installed; install it with: apt-get install -y kcat");
    int[] ports = freePorts(2);
    int kafkaPort = ports[0];
    int metricsPort = ports[1];

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    System.setOut(new PrintStream(captured, true, UTF_8));
    CompletableFuture<Integer> demo;
    try {
      demo = CompletableFuture.supplyAsync(() -> Driftwatch.commandLine().execute(
          "demo", "--duration", "25s", "--kafka-port", String.valueOf(kafkaPort), "--metrics-port", String.valueOf(metricsPort),
          "--tokens", "120", "--tokens-per-second", "60"));

      double tokens = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (tokens <= 0 && System.nanoTime() < deadline) {
        Thread.sleep(500);
        tokens = tokensTotal(scrape(metricsPort));
      }
      assertThat(tokens).as("driftwatch_tokens_total while the demo runs").isGreaterThan(0);

      // Waits for three committed records (sentence records come once a sentence is complete and
      // embedded), rather than exiting at the end of what is there now.
      Process consume = new ProcessBuilder(kcat, "-C", "-b", "127.0.0.1:" + kafkaPort, "-t", "driftwatch.scores",
          "-X", "isolation.level=read_committed", "-o", "beginning", "-c", "3")
          .redirectErrorStream(false).start();
      boolean finished = consume.waitFor(30, TimeUnit.SECONDS);
      if (!finished) {
        consume.destroyForcibly();
      }
      String scores = new String(consume.getInputStream().readAllBytes(), UTF_8);
      assertThat(finished).as("kcat read three score records within 30 s: %s", scores).isTrue();
      assertThat(scores.lines().filter(l -> l.startsWith("{")).count()).as(scores).isGreaterThanOrEqualTo(1);
      assertThat(scores).contains("\"generation_id\"", "\"repetition_rate\"");

      assertThat(demo.get(90, TimeUnit.SECONDS)).isZero();
    } finally {
      System.setOut(originalOut);
    }
    String output = captured.toString(UTF_8);
    assertThat(output).contains("http://127.0.0.1:" + metricsPort + "/metrics", "Demo finished", "repetition-loop");
  }

  private static String scrape(int port) {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static double tokensTotal(String exposition) {
    double sum = 0;
    Matcher m = Pattern.compile("^driftwatch_tokens_total\\{[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(exposition);
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  /** Distinct free ports: held open together while chosen, since one at a time the OS can repeat one. */
  private static int[] freePorts(int count) throws java.io.IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  private static String findOnPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, program);
      if (candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return null;
  }
}
