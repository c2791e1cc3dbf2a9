package io.driftwatch.benchmarks.scale;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code driftwatch run} in a JVM of its own, limited to one processor, as a user would run an
 * instance per machine: the benchmark starts it, reads its log and its Prometheus endpoint, and stops
 * it in an orderly way (SIGTERM, the monitor's shutdown hook) or kills it (SIGKILL, no last commit).
 */
final class MonitorInstance implements AutoCloseable {

  private static final String RUNNING = "Driftwatch monitor running";
  private static final Pattern METRICS_URL = Pattern.compile("(?m)^  metrics  (http://\\S+)$");
  private static final Pattern TOKENS = Pattern.compile("(?m)^driftwatch_tokens_total\\{[^}]*} (\\S+)$");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private String metricsUrl;

  private MonitorInstance(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts an instance of the monitor without semantic scores nor web view, its metrics on a free port.
   *
   * @param core the core it is pinned to, or -1 to leave it to the scheduler
   */
  static MonitorInstance start(ScalePlan plan, String name, int core, String bootstrap, String applicationId, String topicPrefix,
      Path stateDir, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    if (core >= 0) {
      command.addAll(List.of("taskset", "-c", String.valueOf(core)));
    }
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:ActiveProcessorCount=1", "-Xmx512m", "-cp", plan.classpath(), plan.mainClass(),
        "run", "--bootstrap", bootstrap, "--application-id", applicationId, "--state-dir", stateDir.toString(),
        "--topic-prefix", topicPrefix, "--partitions", "3", "--replication-factor", "3", "--no-semantic", "--no-web",
        "--metrics-port", "0"));
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new MonitorInstance(name, process, log);
  }

  String name() {
    return name;
  }

  /** Waits until {@code driftwatch run} says the monitor runs (its stream threads have joined the group). */
  void awaitRunning(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String out = output();
      Matcher url = METRICS_URL.matcher(out);
      if (out.contains(RUNNING) && url.find()) {
        metricsUrl = url.group(1);
        return;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("monitor instance " + name + " did not start; the end of its log (" + log + "):\n" + tail(out));
      }
      Thread.sleep(100);
    }
  }

  /** Tokens this instance scored, from its own {@code driftwatch_tokens_total}. */
  long tokensScored() throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    double total = 0;
    Matcher m = TOKENS.matcher(response.body());
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return (long) total;
  }

  /** SIGKILL: nothing of the instance runs after this, its open transaction is left to time out. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("monitor instance " + name + " did not die");
    }
  }

  /** SIGTERM: the monitor closes its stream threads and commits. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private String output() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
  }

  private static String tail(String out) {
    List<String> lines = out.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
