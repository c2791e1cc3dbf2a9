package io.driftwatch.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM at random moments while ONNX Runtime creates sessions: without {@link NativeExitGuard}, runs
 * like these die with SIGSEGV or SIGBUS in OrtSession.createSession and leave an hs_err file
 * (docs/operations.md). Each run here must end as a plain SIGTERM exit, status 143, without one.
 */
class SentenceEmbedderExitIT {

  private static final int RUNS = 8;

  @Test
  void terminatingDuringModelLoadsNeverCrashesTheJvm(@TempDir Path dir) throws Exception {
    Random random = new Random(19);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> failures = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      Path work = Files.createDirectories(dir.resolve("run" + run));
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), LoadUntilTerminated.class.getName())
          .directory(work.toFile())
          .redirectErrorStream(true)
          .start();
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).as("child output").isEqualTo("loading");
      Thread drain = new Thread(() -> out.lines().forEach(line -> { }));
      drain.setDaemon(true);
      drain.start();
      // Somewhere inside one of the next loads: a load takes roughly 0.3 to 1.5 s here.
      Thread.sleep(300 + random.nextInt(1500));
      child.destroy();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child ends after SIGTERM").isTrue();
      int code = child.exitValue();
      try (Stream<Path> files = Files.list(work)) {
        List<Path> crashLogs = files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).toList();
        if (code != 143 || !crashLogs.isEmpty()) {
          StringBuilder failure = new StringBuilder("run " + run + ": exit " + code);
          for (Path log : crashLogs) {
            // The signal, the native frame and the Java frames say where the crash happened.
            Files.readAllLines(log).stream()
                .filter(l -> l.startsWith("#  SIG") || l.startsWith("# C ") || l.startsWith("j ") || l.contains("JavaThread \""))
                .limit(40)
                .forEach(l -> failure.append("\n  ").append(l));
          }
          failures.add(failure.toString());
        }
      }
    }
    assertThat(failures).isEmpty();
  }
}
