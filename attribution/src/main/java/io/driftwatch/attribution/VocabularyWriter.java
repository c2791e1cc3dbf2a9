package io.driftwatch.attribution;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Assigns word ids while an index is built (in order of first appearance) and writes the vocabulary files. */
final class VocabularyWriter {

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> words = new ArrayList<>(List.of("", "", ""));

  /** The id of {@code word}, a new one if it has not been seen before. */
  int idOf(String word) {
    Integer id = ids.get(word);
    if (id != null) {
      return id;
    }
    int next = words.size();
    ids.put(word, next);
    words.add(word);
    return next;
  }

  /** The number of ids, the reserved ones included. */
  int size() {
    return words.size();
  }

  String word(int id) {
    return words.get(id);
  }

  /** Writes the three vocabulary files; returns {UTF-8 bytes, hash slots}. */
  long[] write(Path directory) throws IOException {
    int[] offsets = new int[words.size() + 1];
    byte[][] encoded = new byte[words.size()][];
    long total = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(directory.resolve(IndexFormat.VOCABULARY)))) {
      for (int id = 0; id < words.size(); id++) {
        encoded[id] = IndexFormat.utf8(words.get(id));
        offsets[id] = (int) total;
        total += encoded[id].length;
        if (total > Integer.MAX_VALUE) {
          throw new IOException("vocabulary over 2 GiB of UTF-8");
        }
        out.write(encoded[id]);
      }
    }
    offsets[words.size()] = (int) total;
    IntFileWriter.writeAll(directory.resolve(IndexFormat.VOCABULARY_OFFSETS), offsets);

    // Load factor at most one half keeps linear probing short.
    int slots = Integer.highestOneBit(Math.max(2 * words.size(), 16) - 1) << 1;
    int mask = slots - 1;
    int[] table = new int[slots];
    for (int id = IndexFormat.FIRST_WORD; id < words.size(); id++) {
      int slot = IndexFormat.hash(encoded[id]) & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = id;
    }
    IntFileWriter.writeAll(directory.resolve(IndexFormat.VOCABULARY_HASH), table);
    return new long[] {total, slots};
  }
}
