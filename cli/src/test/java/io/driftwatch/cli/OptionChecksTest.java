package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * Option values out of range are refused at once, with one line that names the option, before a broker,
 * a model or a server starts: no stack trace, no wait.
 */
class OptionChecksTest {

  @Test
  void theMonitorRefusesNoThreadsAndNoIdleTimeout() {
    assertThat(fails("run", "--bootstrap", "127.0.0.1:1", "--threads", "0")).isEqualTo("driftwatch: --threads must be at least 1, got 0");
    assertThat(fails("run", "--bootstrap", "127.0.0.1:1", "--idle-timeout", "0s"))
        .isEqualTo("driftwatch: --idle-timeout must be longer than 0, got 0s");
  }

  @Test
  void theDemoRefusesAGeneratorThatCannotRunBeforeItStartsTheBroker() {
    assertThat(fails("demo", "--concurrency", "0")).startsWith("driftwatch: --concurrency must be at least 1");
    assertThat(fails("demo", "--tokens", "4")).contains("--tokens at least 8");
    assertThat(fails("demo", "--idle-timeout", "0s")).startsWith("driftwatch: --idle-timeout must be longer than 0");
  }

  @Test
  void theTapReplayAndProbeRefuseTheirOutOfRangeValues() {
    assertThat(fails("tap", "--upstream", "http://127.0.0.1:1", "--bootstrap", "127.0.0.1:1", "--connect-timeout", "0s"))
        .startsWith("driftwatch: --connect-timeout must be longer than 0");
    assertThat(fails("tap", "--upstream", "http://127.0.0.1:1", "--bootstrap", "127.0.0.1:1", "--metrics-port", "70000"))
        .isEqualTo("driftwatch: --metrics-port must be a port from 0 to 65535, got 70000");
    assertThat(fails("replay", "missing.jsonl", "-o", "-", "--speed", "-1")).startsWith("driftwatch: --speed must be 0");
    assertThat(fails("probe", "radius", "missing.jsonl", "--endpoint", "http://127.0.0.1:1", "--model", "m", "--timeout", "0s"))
        .startsWith("driftwatch: --timeout must be longer than 0");
  }

  @Test
  void calibrateChecksItsFilesAndItsOutputBeforeTheModelLoads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String out = dir.resolve("baselines.json").toString();
    assertThat(fails("calibrate", dir.resolve("missing.jsonl").toString(), "-o", out)).endsWith("missing.jsonl: no such file, or not readable");
    assertThat(fails("calibrate", dir.toString(), "-o", out)).endsWith(": is a folder; give the event files in it");
    java.nio.file.Path rows = java.nio.file.Files.writeString(dir.resolve("rows.jsonl"), "{\"prompt\":\"Hi.\",\"completion\":\"Hello.\"}\n");
    assertThat(fails("calibrate", rows.toString(), "-o", out)).contains("rows.jsonl: not Driftwatch events (it reads as rows)");
    java.nio.file.Path events = java.nio.file.Files.writeString(dir.resolve("events.jsonl"),
        "{\"v\":1,\"type\":\"end\",\"generation_id\":\"g\",\"finish_reason\":\"stop\",\"event_time\":\"2026-11-24T06:00:00Z\"}\n");
    assertThat(fails("calibrate", events.toString(), "-o", dir.resolve("no-such-folder/b.json").toString()))
        .contains("does not exist; create it first");
  }

  @Test
  void aKeyGivenWhereTheNameOfItsVariableBelongsIsNotPrinted() {
    String error = fails("probe", "radius", "missing.jsonl", "--endpoint", "http://127.0.0.1:1", "--model", "m",
        "--api-key-env", "sk-proj-ABCDEF123456");
    assertThat(error).contains("--api-key-env takes the name of an environment variable").doesNotContain("ABCDEF123456");
  }

  /** Runs the command, expects exit status 1, and returns its error output's first line. */
  private static String fails(String... args) {
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = Driftwatch.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args)).as(String.join(" ", args)).isEqualTo(1);
    return err.toString().lines().findFirst().orElse("");
  }
}
