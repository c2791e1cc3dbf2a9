package io.driftwatch.attribution;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The mapped document table: for each document its first token position and word count (two ints in
 * {@value IndexFormat#DOCUMENTS}), and its name (UTF-8, with offsets). Finding the document of a token
 * position is a binary search over first positions, which increase with the document id.
 */
final class DocumentTable {

  private final MappedInts entries;
  private final MappedInts nameOffsets;
  private final ByteBuffer names;
  private final int count;

  private DocumentTable(MappedInts entries, MappedInts nameOffsets, ByteBuffer names, int count) {
    this.entries = entries;
    this.nameOffsets = nameOffsets;
    this.names = names;
    this.count = count;
  }

  static DocumentTable open(Path directory, IndexHeader header) throws IOException {
    return new DocumentTable(
        MappedInts.map(directory.resolve(IndexFormat.DOCUMENTS), 2L * header.documents()),
        MappedInts.map(directory.resolve(IndexFormat.DOCUMENT_NAME_OFFSETS), header.documents() + 1L),
        Vocabulary.mapBytes(directory.resolve(IndexFormat.DOCUMENT_NAMES), header.documentNameBytes()),
        header.documents());
  }

  int count() {
    return count;
  }

  int firstToken(int document) {
    return entries.get(2L * document);
  }

  int words(int document) {
    return entries.get(2L * document + 1);
  }

  String name(int document) {
    int from = nameOffsets.get(document);
    byte[] utf8 = new byte[nameOffsets.get(document + 1L) - from];
    names.get(from, utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  DocumentInfo info(int document) {
    if (document < 0 || document >= count) {
      throw new IndexOutOfBoundsException("no document " + document + " of " + count);
    }
    return new DocumentInfo(document, name(document), firstToken(document), words(document));
  }

  /** The document whose words include token position {@code position}. */
  int documentAt(int position) {
    int lo = 0;
    int hi = count - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (firstToken(mid) <= position) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
