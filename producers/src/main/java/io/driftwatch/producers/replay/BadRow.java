package io.driftwatch.producers.replay;

/** A row of an archive that could not be replayed, and why: reported with file and line, then skipped. */
public record BadRow(String file, long line, String reason) {

  @Override
  public String toString() {
    return file + ":" + line + ": " + reason;
  }
}
