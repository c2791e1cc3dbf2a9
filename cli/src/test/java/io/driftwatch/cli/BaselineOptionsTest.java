package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.scoring.baseline.BaselineFile;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.ModelBaseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run}'s baseline options reach the monitor's settings. */
class BaselineOptionsTest {

  @Test
  void runReadsABaselineFileAndTheLearningOptions(@TempDir Path dir) throws Exception {
    ModelBaseline baseline = new ModelBaseline();
    for (int i = 0; i < 10; i++) {
      baseline.learn(Map.of("max_loop_repeats", 1.0 + i));
    }
    Path file = dir.resolve("baselines.json");
    BaselineFile.write(file, Map.of("model-a", baseline));

    RunCommand run = parse("--bootstrap", "kafka:9092", "--baseline", file.toString(), "--baseline-warmup", "7",
        "--baseline-run", "calibration");
    BaselineSettings settings = run.baseline.settings();
    assertThat(settings.warmupGenerations()).isEqualTo(7);
    assertThat(settings.run()).isEqualTo("calibration");
    assertThat(settings.fixed()).containsOnlyKeys("model-a");
    assertThat(settings.fixed().get("model-a").encode()).isEqualTo(baseline.encode());
  }

  @Test
  void withoutOptionsModelsLearnTheirFirst500Generations() {
    RunCommand run = parse("--bootstrap", "kafka:9092");
    assertThat(run.baseline.settings()).isEqualTo(BaselineSettings.DEFAULTS);
  }

  @Test
  void aFileThatIsNotBaselinesIsExplained(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("rules.json"), "[]");
    RunCommand run = parse("--bootstrap", "kafka:9092", "--baseline", file.toString());
    assertThatThrownBy(() -> run.baseline.settings()).isInstanceOf(UserFacingException.class)
        .hasMessageContaining("is not a baselines file").hasMessageContaining("driftwatch calibrate");
  }

  /** The run command as the CLI parses it (with the CLI's converters), not run. */
  private static RunCommand parse(String... args) {
    CommandLine cli = Driftwatch.commandLine();
    String[] all = new String[args.length + 1];
    all[0] = "run";
    System.arraycopy(args, 0, all, 1, args.length);
    cli.parseArgs(all);
    return cli.getSubcommands().get("run").getCommand();
  }
}
