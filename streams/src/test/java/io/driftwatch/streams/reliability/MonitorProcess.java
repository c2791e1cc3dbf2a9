package io.driftwatch.streams.reliability;

import io.driftwatch.contract.Topics;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.app.MonitorAppSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A monitor instance in a JVM of its own, so that a test can kill it the way a machine dies: no
 * shutdown hook, no last commit, an open transaction left behind. The child runs {@link #main} from the
 * test classpath, starts {@link MonitorApp} with {@link FailureTestSupport#settings}, reports on its
 * standard output, and closes the monitor in an orderly way when its standard input closes (so it
 * also ends when the test JVM does).
 */
final class MonitorProcess implements AutoCloseable {

  private static final String RUNNING = "monitor-running";
  private static final String TOKENS = "tokens-scored ";

  private final Process process;
  private final Path log;

  private MonitorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the child and waits until its monitor is running; its output goes to {@code log}. */
  static MonitorProcess start(String bootstrap, String applicationId, Path stateDir, String topicPrefix, short replication, Path log)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), MonitorProcess.class.getName(),
        bootstrap, applicationId, stateDir.toString(), topicPrefix, String.valueOf(replication))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    MonitorProcess child = new MonitorProcess(builder.start(), log);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!child.output().contains(RUNNING)) {
      if (!child.process.isAlive() || System.nanoTime() > deadline) {
        child.process.destroyForcibly().waitFor();
        throw new IllegalStateException("the monitor process did not start; its output (" + log + "):\n" + child.output());
      }
      Thread.sleep(100);
    }
    return child;
  }

  /** Tokens the child's monitor has scored, by its own count (0 before its first report). */
  long tokensScored() throws IOException {
    List<String> lines = output().lines().filter(l -> l.startsWith(TOKENS)).toList();
    return lines.isEmpty() ? 0 : Long.parseLong(lines.get(lines.size() - 1).substring(TOKENS.length()).trim());
  }

  /** Kills the JVM at once (SIGKILL): nothing of the monitor runs after this. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the monitor process did not die");
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  private String output() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
  }

  /** Orderly stop: closes the child's standard input, which makes it close the monitor and exit. */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.getOutputStream().close();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** The child: {@code bootstrap applicationId stateDir topicPrefix replication}. */
  public static void main(String[] args) throws Exception {
    MonitorAppSettings settings = FailureTestSupport.settings(args[0], args[1], Path.of(args[2]), Topics.withPrefix(args[3]),
        Short.parseShort(args[4]), 1);
    try (MonitorApp app = MonitorApp.start(settings)) {
      System.out.println(RUNNING);
      Thread reporter = new Thread(() -> {
        long last = -1;
        while (!Thread.currentThread().isInterrupted()) {
          long now = app.metrics().tokensTotal();
          if (now != last) {
            System.out.println(TOKENS + now);
            last = now;
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "tokens-reporter");
      reporter.setDaemon(true);
      reporter.start();
      // Until the parent closes our standard input, or dies.
      while (System.in.read() >= 0) {
        // nothing to read; the stream only signals the end
      }
      reporter.interrupt();
    }
    System.exit(0);
  }
}
