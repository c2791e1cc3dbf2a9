package io.driftwatch.cli;

import picocli.CommandLine.Option;

/** The model of generations whose archive names none: a picocli mixin of {@code replay} and {@code score}. */
final class ArchiveModelOption {

  @Option(names = "--model", paramLabel = "NAME", defaultValue = "unknown",
      description = "Model of generations whose archive does not name one (default: ${DEFAULT-VALUE}).")
  String name;
}
