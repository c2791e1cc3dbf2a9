package io.driftwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code driftwatch} command. Each capability is a subcommand with its own {@code --help}. */
@Command(
    name = "driftwatch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Streaming monitor for generation drift in language models.",
      "Token streams go into Kafka; Kafka Streams scores each generation as it streams; "
          + "scores, alerts and dead letters go to Kafka topics and to a Prometheus endpoint.",
      ""
    },
    subcommands = {DemoCommand.class, RunCommand.class, ScoreCommand.class, CalibrateCommand.class, ReplayCommand.class, CompareCommand.class, TapCommand.class, BrokerCommand.class,
        IndexCommand.class, ProbeCommand.class, BenchCommand.class, ScoresCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Start with: driftwatch demo", "Documentation: README.md and docs/ in the source tree."})
public final class Driftwatch implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Driftwatch());
    cli.registerConverter(java.time.Duration.class, new DurationConverter());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      // Errors a user can act on are reported in one line; anything else keeps its stack trace.
      if (e instanceof UserFacingException || e instanceof io.driftwatch.broker.BrokerStartException || e instanceof IllegalStateException) {
        commandLine.getErr().println(commandLine.getColorScheme().errorText("driftwatch: " + e.getMessage()));
        return 1;
      }
      throw e;
    });
    return cli;
  }
}
