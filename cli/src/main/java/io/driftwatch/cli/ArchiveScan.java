package io.driftwatch.cli;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.replay.ArchiveFormat;
import io.driftwatch.producers.replay.ArchiveReader;
import io.driftwatch.producers.replay.ArchivedGeneration;
import io.driftwatch.producers.replay.BadRow;
import io.driftwatch.producers.replay.RowFields;
import io.driftwatch.producers.text.TokenSplitter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads every archive once before the real work (loading a model, connecting to Kafka), so that a file
 * that cannot be read, or that yields no generation in the format it was read as, stops the command
 * with one line naming the file, before anything is scored or published: nothing half done.
 */
final class ArchiveScan {

  /**
   * What the check found in one archive.
   *
   * @param format the format it is read as
   * @param detected whether that format was detected (true) or forced with --format
   * @param generations generations (rows and streams) or, for event files, valid events
   */
  record Scanned(ArchiveInputs.Archive archive, ArchiveFormat format, boolean detected, long generations, long badRows) {}

  private ArchiveScan() {}

  static List<Scanned> check(List<ArchiveInputs.Archive> archives, ArchiveFormat forced, RowFields fields) {
    // Counting needs no real tokenizer: the simple splitter finds the same rows.
    ArchiveReader reader = new ArchiveReader(fields, TokenSplitter.SIMPLE);
    List<Scanned> out = new ArrayList<>();
    for (ArchiveInputs.Archive archive : archives) {
      out.add(check(archive, forced, reader, fields));
    }
    return out;
  }

  private static Scanned check(ArchiveInputs.Archive archive, ArchiveFormat forced, ArchiveReader reader, RowFields fields) {
    long[] counts = new long[2];
    BadRow[] firstBad = new BadRow[1];
    ArchiveFormat format;
    try (BufferedInputStream in = open(archive)) {
      format = forced != null ? forced : detect(in);
      reader.read(archive.name(), in, format, new ArchiveReader.Visitor() {
        @Override
        public void event(GenerationEvent event) {
          counts[0]++;
        }

        @Override
        public void generation(ArchivedGeneration generation) {
          counts[0]++;
        }

        @Override
        public void bad(BadRow row) {
          if (counts[1]++ == 0) {
            firstBad[0] = row;
          }
        }
      });
    } catch (IOException e) {
      throw new UserFacingException(archive.given() + ": cannot be read (" + e.getMessage() + "); is it a whole, uncompressed or gzip file?");
    }
    if (counts[0] == 0) {
      throw new UserFacingException(String.format(Locale.ROOT, "%s: no generation found, read as %s (%s)%s; %s",
          archive.given(), ArchiveOptions.optionName(format), forced != null ? "--format" : "detected from its first bytes",
          firstBad[0] == null ? ", which found nothing in it" : ", which skipped " + counts[1] + " rows, the first at " + firstBad[0],
          hint(format, fields)));
    }
    return new Scanned(archive, format, forced == null, counts[0], counts[1]);
  }

  private static String hint(ArchiveFormat format, RowFields fields) {
    return switch (format) {
      case ROWS_JSONL, ROWS_JSON_ARRAY -> "name the field with the generated text with --text-field (tried "
          + String.join(", ", fields.text()) + "), or choose another --format";
      case EVENTS -> "is it an archive of rows or captured streams? try --format rows, json-array or openai-sse";
      case OPENAI_SSE -> "is it a capture of streaming responses (data: lines with choices)? else choose another --format";
    };
  }

  /** The archive's bytes, gzip undone by its magic bytes, buffered so that its start can be looked at. */
  static BufferedInputStream open(ArchiveInputs.Archive archive) throws IOException {
    InputStream raw = Files.newInputStream(archive.path());
    return new BufferedInputStream(InputFiles.maybeGunzip(new BufferedInputStream(raw, 1 << 16)), 1 << 16);
  }

  /** Detects the format from the first 4 KiB, leaving the stream at its start. */
  static ArchiveFormat detect(BufferedInputStream in) throws IOException {
    in.mark(4096);
    byte[] head = in.readNBytes(4096);
    in.reset();
    return ArchiveFormat.detect(head);
  }
}
