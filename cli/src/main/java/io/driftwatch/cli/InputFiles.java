package io.driftwatch.cli;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Input files of {@code score} and {@code replay}: '-' for standard input, gzip undone by its magic bytes. */
final class InputFiles {

  private InputFiles() {}

  /** Size in bytes for a progress bar; 0 for standard input. */
  static long size(String file) throws IOException {
    return file.equals("-") ? 0 : Files.size(Path.of(file));
  }

  /** Opens a file; {@link Counting#count} tells how many raw (compressed) bytes have been read. */
  static Counting open(String file) throws IOException {
    return new Counting(file.equals("-") ? System.in : Files.newInputStream(Path.of(file)));
  }

  static InputStream maybeGunzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** Counts the bytes read through it. */
  static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
