package io.driftwatch.cli;

import java.io.File;
import java.util.Optional;

/** Finds programs installed on this machine (Prometheus, Alertmanager from Debian's packages). */
final class Binaries {

  private Binaries() {}

  /** The first of the names found on the PATH. */
  static Optional<String> find(String... names) {
    for (String name : names) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        File candidate = new File(dir, name);
        if (candidate.canExecute()) {
          return Optional.of(candidate.getAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }
}
