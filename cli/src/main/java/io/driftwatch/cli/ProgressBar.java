package io.driftwatch.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for long work, drawn on stderr in place when it is a terminal: done/total, a bar, the
 * rate and the time left. Silent when stderr is not a terminal (logs and pipes), where a final summary
 * line says enough. Redraws at most four times a second, so it costs nothing on hot loops.
 */
final class ProgressBar implements AutoCloseable {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final String unit;
  private final boolean enabled;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private long done;

  ProgressBar(PrintStream out, String label, long total, String unit, boolean enabled) {
    this.out = out;
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.enabled = enabled;
  }

  static ProgressBar onStderr(String label, long total, String unit) {
    return new ProgressBar(System.err, label, total, unit, System.console() != null);
  }

  void advanceTo(long value) {
    done = value;
    long now = System.nanoTime();
    if (enabled && now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      out.print("\r" + line(now));
      out.flush();
    }
  }

  String line(long now) {
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / seconds;
    double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
    int filled = (int) Math.round(fraction * WIDTH);
    String eta = total > 0 && rate > 0 ? formatSeconds((total - done) / rate) : "?";
    return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %s/%s %s, %s/s, %s left", label, "#".repeat(filled),
        " ".repeat(WIDTH - filled), fraction * 100, human(done), human(total), unit, human((long) rate), eta);
  }

  @Override
  public void close() {
    if (enabled) {
      out.print("\r" + line(System.nanoTime()) + "\n");
      out.flush();
    }
  }

  static String human(long n) {
    if (n >= 10_000_000_000L) {
      return (n / 1_000_000_000L) + "G";
    } else if (n >= 10_000_000) {
      return (n / 1_000_000) + "M";
    } else if (n >= 10_000) {
      return (n / 1_000) + "k";
    }
    return Long.toString(n);
  }

  private static String formatSeconds(double s) {
    long t = Math.round(s);
    return t >= 3600 ? (t / 3600) + "h" + (t % 3600 / 60) + "m" : t >= 60 ? (t / 60) + "m" + (t % 60) + "s" : t + "s";
  }
}
