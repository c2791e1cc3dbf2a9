package io.driftwatch.attribution;

import java.nio.charset.StandardCharsets;

/**
 * File names, reserved word ids and the vocabulary hash of the on-disk index (format version 1). Every
 * binary file is a flat little-endian array with no header of its own; their lengths are recorded in
 * {@value #HEADER} and checked on open. The layout is described in the module README.
 */
final class IndexFormat {

  static final String FORMAT = "driftwatch-attribution-index";
  static final int VERSION = 1;

  static final String HEADER = "index.properties";
  static final String TOKENS = "tokens.i32";
  static final String SUFFIX_ARRAY = "suffix-array.i32";
  static final String WORD_STARTS = "word-starts.i32";
  static final String BIGRAM_OFFSETS = "bigram-offsets.i32";
  static final String BIGRAM_NEXT = "bigram-next.i32";
  static final String BIGRAM_STARTS = "bigram-starts.i32";
  static final String TRIGRAM_FILTER = "trigram-filter.i32";
  static final String VOCABULARY = "vocabulary.utf8";
  static final String VOCABULARY_OFFSETS = "vocabulary-offsets.i32";
  static final String VOCABULARY_HASH = "vocabulary-hash.i32";
  static final String DOCUMENTS = "documents.i32";
  static final String DOCUMENT_NAMES = "document-names.utf8";
  static final String DOCUMENT_NAME_OFFSETS = "document-name-offsets.i32";

  /** Ends the token stream, once, as the suffix array construction requires; sorts before everything. */
  static final int END = 0;
  /** Follows every document, so no match can run from one document into the next. */
  static final int SEPARATOR = 1;
  /** Stands for a word the index has never seen; never occurs in the token stream, so never matches. */
  static final int UNKNOWN = 2;
  /** The id of the first real word. */
  static final int FIRST_WORD = 3;

  private IndexFormat() {}

  /** Hash of a word's UTF-8 bytes for the vocabulary table: FNV-1a, then a finalising mix. */
  static int hash(byte[] utf8) {
    int h = 0x811C9DC5;
    for (byte b : utf8) {
      h = (h ^ (b & 0xFF)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
