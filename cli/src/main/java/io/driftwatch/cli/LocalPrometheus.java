package io.driftwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A Prometheus server (the Debian package's binary) run as a child process with Driftwatch's shipped
 * configuration and rules, scraping a monitor on 127.0.0.1. Used by {@code driftwatch demo --prometheus}
 * and by the tests that check dashboards and alerts against a real Prometheus.
 */
final class LocalPrometheus implements AutoCloseable {

  /** Where the shipped files are inside the jar (the dashboards module puts them there). */
  private static final String SHIPPED = "/io/driftwatch/dashboards/prometheus/";
  private static final String SHIPPED_TARGET = "127.0.0.1:9464";
  private static final String SHIPPED_ALERTMANAGER = "127.0.0.1:9093";
  private static final String SHIPPED_ALERTING_COMMENT = "# Where alerts go:";

  private final Process process;
  private final int port;
  private final Path logFile;

  private LocalPrometheus(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /**
   * What to run.
   *
   * @param workDir directory for the configuration, the rules, the data and the log
   * @param metricsPort port of the monitor's metrics endpoint on 127.0.0.1
   * @param port port Prometheus listens on, on 127.0.0.1
   * @param interval scrape and rule evaluation interval
   * @param alertmanagerPort an Alertmanager on 127.0.0.1 to send alerts to, or 0 for none
   * @param rules a rewrite of the shipped rules file (identity for the demo; tests compress `for:` times)
   */
  record Options(Path workDir, int metricsPort, int port, Duration interval, int alertmanagerPort, UnaryOperator<String> rules) {}

  static LocalPrometheus start(String binary, Options options) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(options.workDir());
    Path rulesDir = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(rulesDir.resolve("driftwatch.yml"), options.rules().apply(shipped("rules/driftwatch.yml")));
    String config = shipped("prometheus.yml")
        .replace(SHIPPED_TARGET, "127.0.0.1:" + options.metricsPort())
        .replace("scrape_interval: 5s", "scrape_interval: " + options.interval().toMillis() + "ms")
        .replace("evaluation_interval: 5s", "evaluation_interval: " + options.interval().toMillis() + "ms\n  scrape_timeout: "
            + options.interval().toMillis() + "ms");
    if (options.alertmanagerPort() > 0) {
      config = config.replace(SHIPPED_ALERTMANAGER, "127.0.0.1:" + options.alertmanagerPort());
    } else {
      // No Alertmanager here: the shipped block, last in the file, goes, so that Prometheus does not
      // try one that is not there.
      config = config.substring(0, config.indexOf(SHIPPED_ALERTING_COMMENT));
    }
    Files.writeString(dir.resolve("prometheus.yml"), config);
    Path log = dir.resolve("prometheus.log");
    List<String> command = new ArrayList<>(List.of(binary,
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + options.port()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LocalPrometheus prometheus = new LocalPrometheus(process, options.port(), log);
    prometheus.awaitReady(Duration.ofSeconds(30));
    return prometheus;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  Path logFile() {
    return logFile;
  }

  private void awaitReady(Duration timeout) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited at start; its log: " + logFile + "\n" + tail());
      }
      try {
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("prometheus did not become ready within " + timeout.toSeconds() + " s; its log: " + logFile);
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(logFile);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  static String shipped(String name) {
    try (InputStream in = LocalPrometheus.class.getResourceAsStream(SHIPPED + name)) {
      if (in == null) {
        throw new IllegalStateException("shipped Prometheus file missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
