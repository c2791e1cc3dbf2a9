package io.driftwatch.contract;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no encoded surrogates, nothing above U+10FFFF,
 * no truncated sequences. A loop over the bytes, with no decoding and no allocation, because every
 * record of the tokens topic goes through it.
 */
final class Utf8 {

  private Utf8() {}

  /** Offset of the first byte that does not start a well-formed sequence, or -1 when all are valid. */
  static int firstInvalid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int continuation;
      if (b >= 0xC2 && b <= 0xDF) {
        continuation = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        continuation = 2;
      } else if (b >= 0xF0 && b <= 0xF4) {
        continuation = 3;
      } else {
        return i;
      }
      if (i + continuation >= n) {
        return i;
      }
      // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and code points
      // above U+10FFFF (F4); the others are plain continuation bytes.
      int second = bytes[i + 1] & 0xFF;
      int low = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
      int high = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
      if (second < low || second > high) {
        return i;
      }
      for (int k = 2; k <= continuation; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += continuation + 1;
    }
    return -1;
  }
}
