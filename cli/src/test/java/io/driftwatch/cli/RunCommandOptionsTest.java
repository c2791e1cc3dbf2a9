package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options of {@code driftwatch run} that are refused before anything is started, Kafka included. */
class RunCommandOptionsTest {

  @Test
  void aLiveStateShareOutsideItsRangeIsRefusedWithTheRange() {
    for (String percent : new String[] {"0", "81"}) {
      StringWriter err = new StringWriter();
      CommandLine cli = Driftwatch.commandLine();
      cli.setErr(new PrintWriter(err));
      // No broker listens there: the option is checked before Kafka is asked.
      int exit = cli.execute("run", "--bootstrap", "127.0.0.1:1", "--metrics-port", "0", "--live-state-heap", percent);
      assertThat(exit).isEqualTo(1);
      assertThat(err.toString()).contains("--live-state-heap must be 1 to 80", "got " + percent).doesNotContain("Exception");
    }
  }

  @Test
  void theHelpGivesTheLiveStateShareAndItsDefault() {
    StringWriter out = new StringWriter();
    CommandLine cli = Driftwatch.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("run", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("--live-state-heap=PERCENT", "(1 to 80; default: 25)");
  }
}
