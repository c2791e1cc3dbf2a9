package io.driftwatch.attribution;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only, memory-mapped array of little-endian int32 values. The operating system pages it in on
 * demand and shares the pages between threads and processes, so opening is instant whatever the size.
 * A single mapping is limited to 2 GiB, so larger files are mapped in 1 GiB chunks.
 */
final class MappedInts {

  private static final int CHUNK_SHIFT = 28;
  private static final int CHUNK_INTS = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_INTS - 1;

  private final IntBuffer[] chunks;
  private final long length;

  private MappedInts(IntBuffer[] chunks, long length) {
    this.chunks = chunks;
    this.length = length;
  }

  /** Maps {@code file}, which must hold exactly {@code expectedLength} values. */
  static MappedInts map(Path file, long expectedLength) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long bytes = channel.size();
      if (bytes != expectedLength * Integer.BYTES) {
        throw new IOException(file + ": " + bytes + " bytes, expected " + expectedLength * Integer.BYTES);
      }
      int count = (int) ((expectedLength + CHUNK_INTS - 1) >>> CHUNK_SHIFT);
      IntBuffer[] chunks = new IntBuffer[Math.max(count, 1)];
      for (int c = 0; c < chunks.length; c++) {
        long first = (long) c << CHUNK_SHIFT;
        long ints = Math.min(CHUNK_INTS, expectedLength - first);
        // The mapping stays valid after the channel is closed.
        chunks[c] = channel.map(FileChannel.MapMode.READ_ONLY, first * Integer.BYTES, ints * Integer.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
      }
      return new MappedInts(chunks, expectedLength);
    }
  }

  long length() {
    return length;
  }

  int get(long index) {
    return chunks[(int) (index >>> CHUNK_SHIFT)].get((int) (index & CHUNK_MASK));
  }
}
