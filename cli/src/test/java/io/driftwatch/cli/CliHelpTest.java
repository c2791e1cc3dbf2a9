package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliHelpTest {

  @Test
  void everySubcommandExplainsItself() {
    CommandLine cli = Driftwatch.commandLine();
    assertThat(cli.getSubcommands()).containsKeys("demo", "run", "broker");
    for (String name : cli.getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      StringWriter out = new StringWriter();
      CommandLine fresh = Driftwatch.commandLine();
      fresh.setOut(new PrintWriter(out));
      assertThat(fresh.execute(name, "--help")).as(name).isZero();
      assertThat(out.toString()).as(name).contains("Usage: driftwatch " + name).contains("--help");
    }
  }

  @Test
  void noArgumentsPrintsTheOverview() {
    StringWriter out = new StringWriter();
    CommandLine cli = Driftwatch.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString()).contains("demo", "broker", "generation drift");
  }

  @Test
  void badFlagValuesAreExplained() {
    StringWriter err = new StringWriter();
    CommandLine cli = Driftwatch.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("demo", "--duration", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("'soon' is not a duration");
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    DurationConverter c = new DurationConverter();
    assertThat(c.convert("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.convert("PT1H")).isEqualTo(Duration.ofHours(1));
  }
}
