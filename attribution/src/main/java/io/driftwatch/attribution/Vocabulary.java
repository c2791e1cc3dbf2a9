package io.driftwatch.attribution;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Word to id and back, read straight from the mapped files: the UTF-8 words in id order, their offsets,
 * and an open-addressing hash table of ids. Nothing is loaded into the heap, so a vocabulary of millions
 * of words opens instantly. Thread-safe (read-only, and every read is absolute).
 */
final class Vocabulary {

  private final ByteBuffer bytes;
  private final MappedInts offsets;
  private final MappedInts slots;
  private final int size;
  private final int mask;

  private Vocabulary(ByteBuffer bytes, MappedInts offsets, MappedInts slots, int size) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.slots = slots;
    this.size = size;
    this.mask = (int) slots.length() - 1;
  }

  static Vocabulary open(Path directory, IndexHeader header) throws IOException {
    return new Vocabulary(
        mapBytes(directory.resolve(IndexFormat.VOCABULARY), header.vocabularyBytes()),
        MappedInts.map(directory.resolve(IndexFormat.VOCABULARY_OFFSETS), header.vocabulary() + 1L),
        MappedInts.map(directory.resolve(IndexFormat.VOCABULARY_HASH), header.hashSlots()),
        header.vocabulary());
  }

  /** The number of ids, the reserved ones included. */
  int size() {
    return size;
  }

  /** The id of a normalised word, or {@link IndexFormat#UNKNOWN}. */
  int id(String word) {
    byte[] utf8 = IndexFormat.utf8(word);
    for (int slot = IndexFormat.hash(utf8) & mask; ; slot = (slot + 1) & mask) {
      int id = slots.get(slot);
      if (id == 0) {
        return IndexFormat.UNKNOWN;
      }
      if (sameBytes(id, utf8)) {
        return id;
      }
    }
  }

  /** The word of an id; the empty string for reserved ids. */
  String word(int id) {
    if (id < 0 || id >= size) {
      throw new IllegalArgumentException("no word id " + id);
    }
    int from = offsets.get(id);
    byte[] utf8 = new byte[offsets.get(id + 1) - from];
    bytes.get(from, utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private boolean sameBytes(int id, byte[] utf8) {
    int from = offsets.get(id);
    if (offsets.get(id + 1) - from != utf8.length) {
      return false;
    }
    for (int i = 0; i < utf8.length; i++) {
      if (bytes.get(from + i) != utf8[i]) {
        return false;
      }
    }
    return true;
  }

  /** Maps a whole UTF-8 file; such files are limited to 2 GiB, checked when the index is built. */
  static ByteBuffer mapBytes(Path file, long expectedLength) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != expectedLength) {
        throw new IOException(file + ": " + channel.size() + " bytes, expected " + expectedLength);
      }
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, expectedLength);
    }
  }
}
