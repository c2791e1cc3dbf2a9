package io.driftwatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped Prometheus configuration and rules, checked and unit-tested by Prometheus' own promtool. */
class PromtoolTest {

  private static final Path PROMETHEUS = Path.of("prometheus").toAbsolutePath();
  private static final Path ALERTMANAGER = Path.of("alertmanager").toAbsolutePath();
  private static String promtool;
  private static String amtool;

  @BeforeAll
  static void findTools() {
    promtool = onPath("promtool");
    amtool = onPath("amtool");
  }

  static String onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return new File(dir, program).getAbsolutePath();
      }
    }
    return null;
  }

  @Test
  void configIsValid() throws Exception {
    assertThat(run(PROMETHEUS, "check", "config", "prometheus.yml")).contains("SUCCESS");
  }

  @Test
  void rulesAreValid() throws Exception {
    assertThat(run(PROMETHEUS, "check", "rules", "rules/driftwatch.yml")).contains("SUCCESS");
  }

  @Test
  void alertRuleUnitTestsPass() throws Exception {
    assertThat(run(PROMETHEUS.resolve("tests"), "test", "rules", "driftwatch_test.yml")).contains("SUCCESS");
  }

  @Test
  void alertmanagerConfigIsValid() throws Exception {
    assertThat(amtool(ALERTMANAGER, "check-config", "alertmanager.yml")).contains("SUCCESS");
  }

  @Test
  void alertmanagerRoutesBySeverity() throws Exception {
    // amtool prints the matching receiver on its last line (a warning about flags may come first).
    assertThat(amtool(ALERTMANAGER, "config", "routes", "test", "--config.file=alertmanager.yml", "severity=critical", "alertname=A")
        .strip().lines().reduce((a, b) -> b).orElse("")).isEqualTo("on-call");
    assertThat(amtool(ALERTMANAGER, "config", "routes", "test", "--config.file=alertmanager.yml", "severity=warning", "alertname=B")
        .strip().lines().reduce((a, b) -> b).orElse("")).isEqualTo("team");
  }

  private static String amtool(Path dir, String... args) throws Exception {
    assumeTrue(amtool != null, "amtool is not installed; install it with: apt-get install -y prometheus-alertmanager");
    return exec(amtool, dir, args);
  }

  private static String run(Path dir, String... args) throws Exception {
    assumeTrue(promtool != null, "promtool is not installed; install it with: apt-get install -y prometheus");
    return exec(promtool, dir, args);
  }

  private static String exec(String tool, Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(tool));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
