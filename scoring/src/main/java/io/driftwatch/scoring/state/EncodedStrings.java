package io.driftwatch.scoring.state;

/**
 * A window of strings, oldest first, kept in the bytes {@link StateOutput#strings} writes for them:
 * each string is encoded once, when it joins the window, and writing the window into a state copies
 * those bytes. For a scorer whose window of recent tokens is most of its state and changes by a few
 * tokens between two writes, where encoding every string again at each write would cost far more than
 * keeping the bytes.
 *
 * <p>The bytes of the window lie in {@code [start, end)} of one array; dropping the oldest string moves
 * {@code start} past it (each encoding begins with its own length), and the live bytes move back to the
 * front when the array's end is reached, so the array stays within a small factor of the window.
 */
public final class EncodedStrings {

  private byte[] bytes = new byte[0];
  private int start;
  private int end;
  private int size;

  /** Strings in the window. */
  public int size() {
    return size;
  }

  /** Adds a non-null string as the newest. */
  public void addLast(String s) {
    int room = StateOutput.maxBytes(s);
    if (end + room > bytes.length) {
      makeRoom(room);
    }
    end = StateOutput.string(s, bytes, end);
    size++;
  }

  /** Drops the oldest string. */
  public void removeFirst() {
    if (size == 0) {
      throw new IllegalStateException("no string to remove");
    }
    int length = 0;
    int shift = 0;
    int b;
    do {
      b = bytes[start++] & 0xFF;
      length |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    start += Math.max(0, length - 1); // the varint is the length plus one (0 for null)
    size--;
    if (size == 0) {
      start = 0;
      end = 0;
    }
  }

  /** Writes the window as {@link StateOutput#strings} would write its strings. */
  public void writeTo(StateOutput out) {
    out.varint(size);
    out.raw(bytes, start, end - start);
  }

  /**
   * Moves the live bytes to the front, into a larger array unless they and {@code room} more leave an
   * eighth of it free (so that moving them again waits for an eighth of the array's worth of strings).
   * A tight array because every open generation holds one (docs/memory.md).
   */
  private void makeRoom(int room) {
    int live = end - start;
    byte[] into = live + room <= bytes.length - bytes.length / 8 ? bytes : new byte[(live + room) * 5 / 4 + 8];
    System.arraycopy(bytes, start, into, 0, live);
    bytes = into;
    start = 0;
    end = live;
  }
}
