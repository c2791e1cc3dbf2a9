package io.driftwatch.producers.tap;

/**
 * Finds where server-sent events end in a byte stream read in pieces of any size: after a blank line
 * (LF LF, CR CR, CRLF CRLF and their mixes, as the event-stream rules read line ends). The guarded relay
 * forwards whole events only, so that a stop can always follow with a well-formed final chunk.
 * Not thread-safe; one per response.
 */
final class SseBoundaries {

  private boolean lineStart = true;
  private boolean afterCr;

  /** The offset just past the last event end within {@code bytes[offset, offset + length)}, or -1 when none ends there. */
  int lastEnd(byte[] bytes, int offset, int length) {
    int last = -1;
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b == '\n' && afterCr) {
        afterCr = false; // the LF of a CRLF: the line ended at the CR
        if (last == i) {
          last = i + 1; // keep the whole CRLF with the event it ends
        }
        continue;
      }
      afterCr = false;
      if (b == '\n' || b == '\r') {
        if (lineStart) {
          last = i + 1; // an empty line: the event before it is complete
        }
        lineStart = true;
        afterCr = b == '\r';
      } else {
        lineStart = false;
      }
    }
    return last;
  }
}
