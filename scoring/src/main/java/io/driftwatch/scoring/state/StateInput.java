package io.driftwatch.scoring.state;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Reads what {@link StateOutput} wrote; a state cut short or overlong is an error, never a guess. Public
 * for the same reason as {@link StateOutput}.
 */
public final class StateInput {

  /** Largest collection a state can hold by the settings' bounds, with room to spare: a guard against corrupt sizes. */
  private static final int MAX_COUNT = 1 << 20;

  private final byte[] buf;
  private int pos;

  public StateInput(byte[] buf) {
    this.buf = buf;
  }

  public int readByte() {
    if (pos >= buf.length) {
      throw new IllegalArgumentException("generation state cut short at byte " + pos);
    }
    return buf[pos++] & 0xFF;
  }

  public boolean bool() {
    int b = readByte();
    if (b > 1) {
      throw new IllegalArgumentException("generation state: bad boolean " + b + " at byte " + (pos - 1));
    }
    return b == 1;
  }

  public int varint() {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("generation state: varint too long at byte " + pos);
  }

  /** A count of elements: a varint within bounds. */
  public int count() {
    int n = varint();
    if (n < 0 || n > MAX_COUNT) {
      throw new IllegalArgumentException("generation state: implausible count " + n + " at byte " + pos);
    }
    return n;
  }

  public long signed() {
    long zigzag = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      zigzag |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (zigzag >>> 1) ^ -(zigzag & 1);
      }
    }
    throw new IllegalArgumentException("generation state: varint too long at byte " + pos);
  }

  public int signedInt() {
    long v = signed();
    if (v != (int) v) {
      throw new IllegalArgumentException("generation state: " + v + " is out of int range at byte " + pos);
    }
    return (int) v;
  }

  public double float64() {
    require(8);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits |= (long) (buf[pos++] & 0xFF) << (8 * i);
    }
    return Double.longBitsToDouble(bits);
  }

  public float float32() {
    require(4);
    int bits = 0;
    for (int i = 0; i < 4; i++) {
      bits |= (buf[pos++] & 0xFF) << (8 * i);
    }
    return Float.intBitsToFloat(bits);
  }

  public String string() {
    int n = varint();
    if (n == 0) {
      return null;
    }
    int length = n - 1;
    require(length);
    // The writer's form: each UTF-16 unit in 1 to 3 bytes (StateOutput#string).
    int end = pos + length;
    char[] chars = new char[length];
    int count = 0;
    while (pos < end) {
      int b = buf[pos++] & 0xFF;
      if (b < 0x80) {
        chars[count++] = (char) b;
      } else if (b < 0xE0) {
        require(1);
        chars[count++] = (char) (((b & 0x1F) << 6) | (buf[pos++] & 0x3F));
      } else {
        require(2);
        chars[count++] = (char) (((b & 0x0F) << 12) | ((buf[pos++] & 0x3F) << 6) | (buf[pos++] & 0x3F));
      }
    }
    if (pos != end) {
      throw new IllegalArgumentException("generation state: a string runs past its length at byte " + pos);
    }
    return new String(chars, 0, count);
  }

  public byte[] bytes() {
    int length = count();
    require(length);
    byte[] out = new byte[length];
    System.arraycopy(buf, pos, out, 0, length);
    pos += length;
    return out;
  }

  public Instant instant() {
    if (!bool()) {
      return null;
    }
    long seconds = signed();
    int nanos = varint();
    return Instant.ofEpochSecond(seconds, nanos);
  }

  public Integer nullableInt() {
    return bool() ? signedInt() : null;
  }

  /** Adds the strings that {@link StateOutput#strings} wrote to {@code into}. */
  public void strings(Collection<String> into) {
    int n = count();
    for (int i = 0; i < n; i++) {
      into.add(string());
    }
  }

  /**
   * The strings that {@link StateOutput#strings} wrote, as an immutable list: the scorers keep their
   * windows' lists immutable ({@code List.copyOf}), and a decoded state must behave as the live one.
   */
  public List<String> stringList() {
    String[] out = new String[count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = string();
    }
    return List.of(out);
  }

  /** Adds the lists that {@link StateOutput#stringLists} wrote to {@code into}, each as {@link #stringList}. */
  public void stringLists(Collection<List<String>> into) {
    int n = count();
    for (int i = 0; i < n; i++) {
      into.add(stringList());
    }
  }

  /** Adds the doubles that {@link StateOutput#doubles} wrote to {@code into}. */
  public void doubles(Collection<Double> into) {
    int n = count();
    for (int i = 0; i < n; i++) {
      into.add(float64());
    }
  }

  /** Fails unless every byte was read. */
  public void end() {
    if (pos != buf.length) {
      throw new IllegalArgumentException("generation state: " + (buf.length - pos) + " bytes left over after the state");
    }
  }

  private void require(int length) {
    if (length < 0 || pos + length > buf.length) {
      throw new IllegalArgumentException("generation state cut short at byte " + pos);
    }
  }
}
