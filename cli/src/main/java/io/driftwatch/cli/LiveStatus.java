package io.driftwatch.cli;

import java.io.PrintStream;

/**
 * A one-line live summary: rewritten in place on a terminal, printed every few seconds to a log or pipe
 * (where carriage returns would only make a mess).
 */
final class LiveStatus {

  private static final int LOG_EVERY_SECONDS = 5;

  private final PrintStream out;
  private final boolean terminal;
  private int lastWidth;

  LiveStatus(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void update(long elapsedSeconds, String line) {
    if (terminal) {
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      out.flush();
      lastWidth = line.length();
    } else if (elapsedSeconds % LOG_EVERY_SECONDS == 0) {
      out.println(line);
    }
  }

  void finish() {
    if (terminal && lastWidth > 0) {
      out.println();
    }
  }
}
