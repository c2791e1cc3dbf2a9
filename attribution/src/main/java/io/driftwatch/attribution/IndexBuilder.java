package io.driftwatch.attribution;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds an index directory from reference documents. Documents are tokenized as they are added (with
 * {@link WordTokenizer}'s rules, through a {@link WordStream}, so a file of any size is read in bounded
 * memory) and their word ids streamed to disk; {@link #build()} then sorts the suffixes and writes the
 * tables.
 *
 * <p>Memory during {@code build()}: up to about 11 bytes per word (the token stream and the suffix array
 * as int arrays, the construction's type bits and, at worst, a bucket array of half the input for its
 * recursion; then the trigram filter, half a byte per word) and the vocabulary. Limits: under 2<sup>31</sup> - 16 words
 * plus documents in one index, and under 2 GiB of UTF-8 in the vocabulary and in the document names.
 *
 * <p>Write into a fresh directory: overwriting the files of an index that a running process has mapped
 * would pull them from under it. Not thread-safe.
 */
public final class IndexBuilder {

  private static final int MAX_STREAM = Integer.MAX_VALUE - 16;
  private static final int READ_CHUNK = 1 << 16;
  private static final long PROGRESS_EVERY = 1 << 20;
  private static final long FNV_PRIME = 0x100000001B3L;

  private final Path directory;
  private final long startNanos = System.nanoTime();
  private final VocabularyWriter vocabulary = new VocabularyWriter();
  private final IntList wordCounts = new IntList();
  private final IntList documents = new IntList();
  private final IntList nameOffsets = new IntList();
  private final IntFileWriter tokens;
  private final OutputStream names;
  private BuildProgress progress = BuildProgress.NONE;
  private int position;
  private long words;
  private long nameBytes;
  private long skippedRecords;
  private long fingerprint = 0xCBF29CE484222325L;
  private boolean built;

  /** Starts a build into {@code directory}, created if needed; index files already there are replaced. */
  public IndexBuilder(Path directory) throws IOException {
    this.directory = directory;
    Files.createDirectories(directory);
    // Until the new header is written, the directory must not look like a complete index.
    Files.deleteIfExists(directory.resolve(IndexFormat.HEADER));
    tokens = new IntFileWriter(directory.resolve(IndexFormat.TOKENS));
    names = new BufferedOutputStream(Files.newOutputStream(directory.resolve(IndexFormat.DOCUMENT_NAMES)));
    for (int id = 0; id < IndexFormat.FIRST_WORD; id++) {
      wordCounts.add(0);
    }
    nameOffsets.add(0);
  }

  /** Sets the listener told about progress (none by default). */
  public IndexBuilder onProgress(BuildProgress listener) {
    this.progress = listener;
    return this;
  }

  /** Adds one document given as text. */
  public IndexBuilder addText(String name, String text) throws IOException {
    return addText(name, new StringReader(text));
  }

  /** Adds one document read to its end from {@code text} (not closed here). */
  public IndexBuilder addText(String name, Reader text) throws IOException {
    if (built) {
      throw new IllegalStateException("index already built");
    }
    int first = position;
    WordStream stream = new WordStream();
    char[] buffer = new char[READ_CHUNK];
    try {
      for (int read; (read = text.read(buffer)) >= 0; ) {
        stream.feed(CharBuffer.wrap(buffer, 0, read), this::addWord);
      }
      stream.finish(this::addWord);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    appendToken(IndexFormat.SEPARATOR);
    documents.add(first);
    documents.add(position - 1 - first);
    byte[] utf8 = IndexFormat.utf8(name);
    names.write(utf8);
    nameBytes += utf8.length;
    if (nameBytes > Integer.MAX_VALUE) {
      throw new IOException("document names over 2 GiB of UTF-8");
    }
    nameOffsets.add((int) nameBytes);
    for (byte b : utf8) {
      fingerprint = (fingerprint ^ (b & 0xFF)) * FNV_PRIME;
    }
    return this;
  }

  /**
   * Adds a UTF-8 text file as one document named by its file name: the corpus root given is the file
   * itself, and a name never carries where the corpus lay on the machine that built the index.
   * Malformed bytes become U+FFFD.
   */
  public IndexBuilder addFile(Path file) throws IOException {
    return addFile(file, file.getFileName().toString());
  }

  private IndexBuilder addFile(Path file, String name) throws IOException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (Reader in = new InputStreamReader(Files.newInputStream(file), decoder)) {
      return addText(name, in);
    }
  }

  /**
   * Adds every {@code *.txt} file under {@code folder}, recursively, in path order, one document each,
   * named by its path relative to the folder's parent ({@code books/nested/two.txt} for the folder
   * {@code /data/books}): the folder's own name keeps the documents of two folders apart, and the rest
   * of where it lay is left out.
   */
  public IndexBuilder addDirectory(Path folder) throws IOException {
    Path root = folder.toAbsolutePath().normalize();
    Path base = root.getParent() != null ? root.getParent() : root;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt"))
          .sorted()
          .collect(Collectors.toList());
    }
    for (Path file : files) {
      addFile(file, relativeName(base, file.toAbsolutePath().normalize()));
    }
    return this;
  }

  /** A path below {@code base} with '/' between its parts, whatever the platform's separator. */
  private static String relativeName(Path base, Path file) {
    StringBuilder name = new StringBuilder();
    for (Path part : base.relativize(file)) {
      name.append(name.length() == 0 ? "" : "/").append(part);
    }
    return name.toString();
  }

  /**
   * Adds a JSON Lines file: one document per line, the text being the string value of the top-level
   * member {@code textField}, the name {@code file:line} (1-based, the file by its file name). Blank lines are ignored; a record
   * without a string {@code textField} is skipped and counted in {@link BuildSummary#skippedRecords()}.
   *
   * @throws IOException if a line is not a JSON object
   */
  public IndexBuilder addJsonLines(Path file, String textField) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String text;
        try {
          text = JsonField.stringField(line, textField);
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ":" + lineNumber + ": not a JSON object: " + e.getMessage(), e);
        }
        if (text == null) {
          skippedRecords++;
        } else {
          addText(file.getFileName() + ":" + lineNumber, text);
        }
      }
    }
    return this;
  }

  /** Sorts the suffixes, writes the tables and the header. The builder cannot be used afterwards. */
  public BuildSummary build() throws IOException {
    if (built) {
      throw new IllegalStateException("index already built");
    }
    built = true;
    appendToken(IndexFormat.END);
    tokens.close();
    names.close();
    progress.update(BuildProgress.Phase.READING, words, words);
    int streamLength = position;

    int[] stream = readTokens(streamLength);
    progress.update(BuildProgress.Phase.SORTING, 0, 1);
    int[] suffixArray = SuffixArrays.build(stream, vocabulary.size());
    progress.update(BuildProgress.Phase.SORTING, 1, 1);

    long total = streamLength;
    try (IntFileWriter out = new IntFileWriter(directory.resolve(IndexFormat.SUFFIX_ARRAY))) {
      for (int from = 0; from < streamLength; from += (int) PROGRESS_EVERY) {
        out.write(suffixArray, from, (int) Math.min(streamLength, from + PROGRESS_EVERY));
        progress.update(BuildProgress.Phase.WRITING, out.written(), total);
      }
    }

    // Suffixes are sorted by their first word id first, so each word's suffixes form one block.
    int[] starts = new int[vocabulary.size() + 1];
    for (int id = 0; id < vocabulary.size(); id++) {
      starts[id + 1] = starts[id] + wordCounts.get(id);
    }
    IntFileWriter.writeAll(directory.resolve(IndexFormat.WORD_STARTS), starts);
    int bigrams = BigramTable.write(directory, stream, suffixArray, starts);
    long trigramFilterBits = TrigramFilter.bitsFor(words);
    TrigramFilter.write(directory, stream, trigramFilterBits);
    // Let the two big arrays go before the vocabulary is encoded.
    stream = null;
    suffixArray = null;

    long[] vocabularyFiles = vocabulary.write(directory);
    for (int id = IndexFormat.FIRST_WORD; id < vocabulary.size(); id++) {
      for (byte b : IndexFormat.utf8(vocabulary.word(id))) {
        fingerprint = (fingerprint ^ (b & 0xFF)) * FNV_PRIME;
      }
    }
    IntFileWriter.writeAll(directory.resolve(IndexFormat.DOCUMENTS), documents.toArray());
    IntFileWriter.writeAll(directory.resolve(IndexFormat.DOCUMENT_NAME_OFFSETS), nameOffsets.toArray());
    int documentCount = documents.size() / 2;
    new IndexHeader(fingerprint, WordTokenizer.VERSION, streamLength, documentCount, words, vocabulary.size(),
        vocabularyFiles[0], (int) vocabularyFiles[1], nameBytes, bigrams,
        trigramFilterBits).write(directory);
    progress.update(BuildProgress.Phase.WRITING, total, total);

    long bytes = 0;
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        bytes += Files.size(file);
      }
    }
    return new BuildSummary(documentCount, words, vocabulary.size() - IndexFormat.FIRST_WORD, skippedRecords,
        bytes, (System.nanoTime() - startNanos) / 1e9);
  }

  private void addWord(String word) {
    int id = vocabulary.idOf(word);
    if (id == wordCounts.size()) {
      wordCounts.add(0);
    }
    words++;
    try {
      appendToken(id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (words % PROGRESS_EVERY == 0) {
      progress.update(BuildProgress.Phase.READING, words, -1);
    }
  }

  private void appendToken(int id) throws IOException {
    if (position >= MAX_STREAM) {
      throw new IOException("index full: at most " + MAX_STREAM + " words and documents");
    }
    tokens.write(id);
    wordCounts.increment(id);
    position++;
    fingerprint = (fingerprint ^ id) * FNV_PRIME;
  }

  private int[] readTokens(int length) throws IOException {
    int[] out = new int[length];
    try (FileChannel channel = FileChannel.open(directory.resolve(IndexFormat.TOKENS), StandardOpenOption.READ)) {
      int chunk = 1 << 26;
      for (int from = 0; from < length; from += chunk) {
        int count = Math.min(chunk, length - from);
        IntBuffer ints = channel.map(FileChannel.MapMode.READ_ONLY, (long) from * Integer.BYTES,
            (long) count * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        ints.get(out, from, count);
      }
    }
    return out;
  }
}
