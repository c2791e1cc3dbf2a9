package io.driftwatch.cli;

import picocli.CommandLine;

/** {@code driftwatch run}'s options as the command line parses them, without starting anything: for option tests. */
final class ParsedRun {

  private ParsedRun() {}

  /** The run command after parsing {@code run --bootstrap kafka:9092} followed by {@code args}. */
  static RunCommand parse(String... args) {
    CommandLine cli = Driftwatch.commandLine();
    String[] all = new String[args.length + 3];
    all[0] = "run";
    all[1] = "--bootstrap";
    all[2] = "kafka:9092";
    System.arraycopy(args, 0, all, 3, args.length);
    cli.parseArgs(all);
    return cli.getSubcommands().get("run").getCommand();
  }
}
