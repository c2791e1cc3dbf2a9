package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.embeddings.SentenceEmbedder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code --embedding-parallel} reaches the model a monitor opens, and says so; {@code --embedding-nice} is checked. */
class SemanticOptionsTest {

  @Test
  void aMonitorRunsOnePassAtATimeByDefault() {
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (SentenceEmbedder embedder = parse().openBesideKafka(new PrintStream(said, true, StandardCharsets.UTF_8))) {
      assertThat(embedder.parallelPasses()).isEqualTo(1);
      assertThat(said.toString(StandardCharsets.UTF_8)).doesNotContain("passes at once");
    }
  }

  @Test
  void parallelPassesRunOnOneThreadEachUnlessEmbeddingThreadsSaysOtherwise() {
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (SentenceEmbedder embedder = parse("--embedding-parallel", "2").openBesideKafka(new PrintStream(said, true, StandardCharsets.UTF_8))) {
      assertThat(embedder.parallelPasses()).isEqualTo(2);
      assertThat(said.toString(StandardCharsets.UTF_8)).contains("2 passes at once, each on 1 thread");
    }
  }

  @Test
  void aNegativeCountIsRefusedWithTheOptionNamed() {
    assertThatThrownBy(() -> parse("--embedding-parallel", "-1").openBesideKafka(System.out)).isInstanceOf(UserFacingException.class)
        .hasMessageContaining("--embedding-parallel");
  }

  @Test
  void aMonitorsModelThreadIsNiceByDefault() {
    assertThat(parse().nice).isEqualTo(10);
    assertThat(parse("--embedding-nice", "0").nice).isZero();
  }

  /** Refused before the model loads, since a monitor's parallel passes take the value too. */
  @Test
  void aNiceValueOutsideLinuxsRangeIsRefusedWithTheOptionNamed() {
    MonitorSemanticOptions options = parse("--embedding-nice", "20");
    assertThatThrownBy(() -> options.openBesideKafka(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
        .isInstanceOf(UserFacingException.class).hasMessageContaining("--embedding-nice");
    MonitorSemanticOptions onStreamThread = parse("--embedding-nice", "20", "--embed-on-stream-thread");
    try (SentenceEmbedder embedder = onStreamThread.openBesideKafka(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      assertThat(onStreamThread.scoring(embedder)).as("no model thread, no nice value used").isNotNull();
    }
  }

  /** Offline commands have no use for a monitor's batch timing or model thread, and do not offer them. */
  @Test
  void offlineCommandsDoNotOfferTheMonitorsOptions() {
    for (String command : new String[] {"score", "calibrate"}) {
      picocli.CommandLine cli = Driftwatch.commandLine().getSubcommands().get(command);
      assertThat(cli.getCommandSpec().optionsMap().keySet()).as(command)
          .contains("--embedding-batch", "--embedding-parallel")
          .doesNotContain("--embedding-delay", "--embedding-nice", "--embed-on-stream-thread");
    }
    assertThat(Driftwatch.commandLine().getSubcommands().get("run").getCommandSpec().optionsMap().keySet())
        .contains("--embedding-batch", "--embedding-delay", "--embedding-nice", "--embed-on-stream-thread");
  }

  private static MonitorSemanticOptions parse(String... args) {
    return ParsedRun.parse(args).semantic;
  }

}
