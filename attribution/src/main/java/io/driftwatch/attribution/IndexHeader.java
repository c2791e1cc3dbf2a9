package io.driftwatch.attribution;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The small text file that names an index's format and version and records the length of every array, so
 * a truncated or mismatched file is caught on open rather than read as garbage.
 *
 * @param id a fingerprint of the content (tokens, vocabulary, document names); per-generation match state
 *     records it, because suffix-array ranges mean nothing against another index
 * @param streamLength length of the token stream: words, one separator per document, and the end mark
 * @param documents number of documents
 * @param words number of word tokens (separators and the end mark excluded)
 * @param vocabulary number of word ids, the reserved ones included
 * @param vocabularyBytes length of the UTF-8 vocabulary file
 * @param hashSlots slots in the vocabulary hash table (a power of two)
 * @param documentNameBytes length of the UTF-8 document names file
 * @param bigrams number of distinct pairs of consecutive words in the bigram table
 * @param trigramFilterBits size of the trigram filter in bits (a power of two)
 */
record IndexHeader(long id, int tokenizerVersion, int streamLength, int documents, long words, int vocabulary,
    long vocabularyBytes, int hashSlots, long documentNameBytes, int bigrams, long trigramFilterBits) {

  void write(Path directory) throws IOException {
    Path tmp = directory.resolve(IndexFormat.HEADER + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      out.write("# Driftwatch attribution index. Binary files are little-endian int32 arrays or UTF-8 text.\n");
      out.write("format=" + IndexFormat.FORMAT + "\n");
      out.write("version=" + IndexFormat.VERSION + "\n");
      out.write("id=" + Long.toHexString(id) + "\n");
      out.write("tokenizer=" + tokenizerVersion + "\n");
      out.write("stream.length=" + streamLength + "\n");
      out.write("documents=" + documents + "\n");
      out.write("words=" + words + "\n");
      out.write("vocabulary=" + vocabulary + "\n");
      out.write("vocabulary.bytes=" + vocabularyBytes + "\n");
      out.write("vocabulary.hash.slots=" + hashSlots + "\n");
      out.write("document.names.bytes=" + documentNameBytes + "\n");
      out.write("bigrams=" + bigrams + "\n");
      out.write("trigram.filter.bits=" + trigramFilterBits + "\n");
    }
    // Written last and moved into place atomically: a directory with this file holds a complete index.
    Files.move(tmp, directory.resolve(IndexFormat.HEADER), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  static IndexHeader read(Path directory) throws IOException {
    Path file = directory.resolve(IndexFormat.HEADER);
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    if (!IndexFormat.FORMAT.equals(p.getProperty("format"))) {
      throw new IOException(file + " is not a " + IndexFormat.FORMAT + " header");
    }
    int version = Integer.parseInt(required(p, "version", file));
    if (version != IndexFormat.VERSION) {
      throw new IOException(file + ": index format version " + version + ", this build reads " + IndexFormat.VERSION);
    }
    try {
      return new IndexHeader(Long.parseUnsignedLong(required(p, "id", file), 16),
          Integer.parseInt(required(p, "tokenizer", file)),
          Integer.parseInt(required(p, "stream.length", file)),
          Integer.parseInt(required(p, "documents", file)),
          Long.parseLong(required(p, "words", file)),
          Integer.parseInt(required(p, "vocabulary", file)),
          Long.parseLong(required(p, "vocabulary.bytes", file)),
          Integer.parseInt(required(p, "vocabulary.hash.slots", file)),
          Long.parseLong(required(p, "document.names.bytes", file)),
          Integer.parseInt(required(p, "bigrams", file)),
          Long.parseLong(required(p, "trigram.filter.bits", file)));
    } catch (NumberFormatException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key, Path file) throws IOException {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IOException(file + ": missing " + key);
    }
    return value.trim();
  }
}
