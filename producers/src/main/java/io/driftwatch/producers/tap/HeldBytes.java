package io.driftwatch.producers.tap;

import java.util.Arrays;

/** The bytes of an event the guarded relay has read but not yet forwarded, because the event has not ended. */
final class HeldBytes {

  private byte[] bytes = new byte[1024];
  private int size;

  void append(byte[] from, int offset, int length) {
    if (size + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
    }
    System.arraycopy(from, offset, bytes, size, length);
    size += length;
  }

  byte[] bytes() {
    return bytes;
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }
}
