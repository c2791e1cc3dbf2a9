package io.driftwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the files a command will write, made before any work, so a typo does not cost a run. */
final class OutputFiles {

  private OutputFiles() {}

  /** Fails with one line when {@code file} cannot be created: a folder, or a missing or read-only parent folder. */
  static void checkWritable(String option, Path file) {
    if (file == null || file.toString().equals("-")) {
      return;
    }
    if (Files.isDirectory(file)) {
      throw new UserFacingException(option + " " + file + ": is a folder; give a file name");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new UserFacingException(option + " " + file + ": its folder " + parent + " does not exist; create it first");
    }
    if (parent != null && !Files.isWritable(parent) || Files.exists(file) && !Files.isWritable(file)) {
      throw new UserFacingException(option + " " + file + ": not writable by this user; check its permissions");
    }
  }
}
