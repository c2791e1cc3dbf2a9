package io.driftwatch.attribution;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes little-endian int32 values to a file through a buffer: the format {@link MappedInts} reads. */
final class IntFileWriter implements Closeable {

  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  private long written;

  IntFileWriter(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  void write(int value) throws IOException {
    if (!buffer.hasRemaining()) {
      flush();
    }
    buffer.putInt(value);
    written++;
  }

  void write(int[] values, int from, int to) throws IOException {
    for (int i = from; i < to; i++) {
      write(values[i]);
    }
  }

  /** Values written so far. */
  long written() {
    return written;
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      channel.close();
    }
  }

  /** Writes a whole array to {@code file}. */
  static void writeAll(Path file, int[] values) throws IOException {
    try (IntFileWriter out = new IntFileWriter(file)) {
      out.write(values, 0, values.length);
    }
  }
}
