package io.driftwatch.cli;

import io.driftwatch.producers.replay.ArchiveReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * Reads one checked archive for real, with a progress bar over its (compressed) bytes: the reader owns
 * the loop, so a background thread moves the bar.
 */
final class ArchivePass {

  private ArchivePass() {}

  static void read(ArchiveScan.Scanned scanned, ArchiveReader reader, ArchiveReader.Visitor visitor, String verb) throws IOException {
    ArchiveInputs.Archive archive = scanned.archive();
    InputFiles.Counting raw = new InputFiles.Counting(Files.newInputStream(archive.path()));
    try (InputStream in = new BufferedInputStream(InputFiles.maybeGunzip(new BufferedInputStream(raw, 1 << 16)), 1 << 16);
        ProgressBar progress = ProgressBar.onStderr(verb + " " + archive.name(), Files.size(archive.path()), "bytes");
        Ticker ticker = new Ticker(progress, raw)) {
      reader.read(archive.name(), in, scanned.format(), visitor);
      progress.advanceTo(raw.count);
    }
  }

  /** Moves the progress bar four times a second until closed. */
  private static final class Ticker implements AutoCloseable {
    private final Thread thread;

    Ticker(ProgressBar progress, InputFiles.Counting raw) {
      thread = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          progress.advanceTo(raw.count);
          try {
            Thread.sleep(250);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "archive-progress");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
