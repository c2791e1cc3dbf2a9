package io.driftwatch.scoring.state;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Appends the primitives of the binary state format to a growing byte array: unsigned LEB128 varints,
 * zigzag varints for signed values, doubles and floats as their raw IEEE bits (so NaN and every other
 * value come back exactly), strings as UTF-8 with their length. Nullable values carry a presence byte;
 * collections their size. Each scorer writes its own fields with it ({@code writeTo}) and reads them
 * back with {@link StateInput} ({@code readFrom}); the version byte of the whole state is written once,
 * by the engine's {@code StateCodec}.
 *
 * <p>Public because the scorers live in packages of their own (coherence, degeneration, semantic...).
 */
public final class StateOutput {

  private byte[] buf = new byte[1024];
  private int pos;

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  public void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  public void bool(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /** An unsigned varint; a negative int is written as its unsigned 32-bit value. */
  public void varint(int v) {
    ensure(5);
    pos = varint(v, buf, pos);
  }

  public void signed(long v) {
    long zigzag = (v << 1) ^ (v >> 63);
    ensure(10);
    while ((zigzag & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((zigzag & 0x7F) | 0x80);
      zigzag >>>= 7;
    }
    buf[pos++] = (byte) zigzag;
  }

  public void float64(double v) {
    long bits = Double.doubleToRawLongBits(v);
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (bits >>> (8 * i));
    }
  }

  public void float32(float v) {
    int bits = Float.floatToRawIntBits(v);
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (bits >>> (8 * i));
    }
  }

  /**
   * A string or null: its encoded length plus one (0 for null), then the bytes. Each UTF-16 unit is
   * encoded on its own, as in Java's modified UTF-8 (1 to 3 bytes; a surrogate pair takes 6), so that
   * every Java string comes back exactly, lone surrogates included: model text can hold them, and a
   * standard UTF-8 encoder would turn them into '?' and change the scores of a restored state.
   */
  public void string(String s) {
    if (s == null) {
      varint(0);
      return;
    }
    ensure(s.length() < SHORT_CHARS ? maxBytes(s) : utf8Length(s) + 5);
    pos = string(s, buf, pos);
  }

  /** Strings shorter than this are tried as ASCII first: their length then fits the one-byte varint. */
  private static final int SHORT_CHARS = 127;

  /** The most bytes {@link #string} writes for a non-null {@code s}: room to give {@link #string(String, byte[], int)}. */
  public static int maxBytes(String s) {
    return 3 * s.length() + 5;
  }

  /**
   * Writes the bytes {@link #string} writes for a non-null {@code s} into {@code dst} at {@code at},
   * which has {@link #maxBytes} bytes of room; returns the position after them. For a writer that keeps
   * a string's encoding to copy it into many states later ({@link EncodedStrings}).
   */
  public static int string(String s, byte[] dst, int at) {
    int n = s.length();
    // Most strings of a state are short ASCII words: written straight into the buffer, with no copy.
    if (n < SHORT_CHARS) {
      int p = at + 1;
      boolean ascii = true;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        dst[p++] = (byte) c;
      }
      if (ascii) {
        dst[at] = (byte) (n + 1);
        return p;
      }
    }
    int p = varint(utf8Length(s) + 1, dst, at);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst[p++] = (byte) c;
      } else if (c < 0x800) {
        dst[p++] = (byte) (0xC0 | (c >> 6));
        dst[p++] = (byte) (0x80 | (c & 0x3F));
      } else {
        dst[p++] = (byte) (0xE0 | (c >> 12));
        dst[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        dst[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }

  private static int utf8Length(String s) {
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      length += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return length;
  }

  private static int varint(int v, byte[] dst, int at) {
    while ((v & ~0x7F) != 0) {
      dst[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    dst[at++] = (byte) v;
    return at;
  }

  public void bytes(byte[] b) {
    varint(b.length);
    raw(b);
  }

  /** An instant or null: a presence byte, then epoch seconds and nanoseconds. */
  public void instant(Instant t) {
    bool(t != null);
    if (t != null) {
      signed(t.getEpochSecond());
      varint(t.getNano());
    }
  }

  /** An Integer or null: a presence byte, then the value. */
  public void nullableInt(Integer v) {
    bool(v != null);
    if (v != null) {
      signed(v);
    }
  }

  /** A collection of strings (each may be null): its size, then each in iteration order. */
  public void strings(Collection<String> strings) {
    varint(strings.size());
    for (String s : strings) {
      string(s);
    }
  }

  /** A collection of string lists, as {@link #strings} each. */
  public void stringLists(Collection<List<String>> lists) {
    varint(lists.size());
    for (List<String> list : lists) {
      strings(list);
    }
  }

  /** A collection of doubles, in iteration order. */
  public void doubles(Collection<Double> values) {
    varint(values.size());
    for (double v : values) {
      float64(v);
    }
  }

  private void raw(byte[] b) {
    raw(b, 0, b.length);
  }

  /** Bytes already in this format (kept by {@link EncodedStrings}), copied as they are. */
  public void raw(byte[] b, int from, int length) {
    ensure(length);
    System.arraycopy(b, from, buf, pos, length);
    pos += length;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
