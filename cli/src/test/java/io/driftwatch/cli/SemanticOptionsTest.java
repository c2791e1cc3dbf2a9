package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.embeddings.SentenceEmbedder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --embedding-parallel} reaches the model a monitor opens, and says so. */
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

  private static SemanticOptions parse(String... args) {
    CommandLine cli = Driftwatch.commandLine();
    String[] all = new String[args.length + 3];
    all[0] = "run";
    all[1] = "--bootstrap";
    all[2] = "kafka:9092";
    System.arraycopy(args, 0, all, 3, args.length);
    cli.parseArgs(all);
    return ((RunCommand) cli.getSubcommands().get("run").getCommand()).semantic;
  }
}
