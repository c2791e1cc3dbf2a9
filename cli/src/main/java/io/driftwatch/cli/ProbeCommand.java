package io.driftwatch.cli;

import picocli.CommandLine.Command;

/** {@code driftwatch probe}: measurements made by asking a served model, away from the traffic it serves. */
@Command(name = "probe", mixinStandardHelpOptions = true, subcommands = {RadiusCommand.class},
    description = {"Measure a served model by asking it: its effective context radius (docs/radius.md).", ""})
final class ProbeCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
