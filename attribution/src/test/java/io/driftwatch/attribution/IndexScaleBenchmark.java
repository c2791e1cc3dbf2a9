package io.driftwatch.attribution;

import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Benchmark, not a test: builds an index of at least 50 million words (the two indexed test books, once
 * in their own order, then repeated with shuffled sentence order), and prints build throughput, bytes per
 * word on disk, open time, streaming lookup throughput on one core for generations mixing copied passages
 * and fresh text, and a naive baseline measured in the same run (String.indexOf over the corpus text for
 * each position's growing suffix) with the ratio. Run from the repository root after a test-compile:
 *
 * <pre>
 * mvn -B -o -q -pl attribution test-compile
 * java -Xmx8g -cp attribution/target/classes:attribution/target/test-classes \
 *     io.driftwatch.attribution.IndexScaleBenchmark [words, default 50000000]
 * </pre>
 *
 * The corpus and index go to a temporary directory, deleted at the end.
 */
public final class IndexScaleBenchmark {

  private static final int GENERATIONS = 2_000;
  private static final int GENERATION_WORDS = 1_000;
  private static final double NAIVE_SECONDS = 60;

  private IndexScaleBenchmark() {}

  public static void main(String[] args) throws IOException {
    long targetWords = args.length > 0 ? Long.parseLong(args[0]) : 50_000_000L;
    Path work = Files.createTempDirectory("attribution-bench");
    try {
      run(work, targetWords);
    } finally {
      deleteRecursively(work);
    }
  }

  private static void run(Path work, long targetWords) throws IOException {
    System.out.printf("Attribution benchmark: %d cores available, max heap %,d MB, Java %s, load average %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"), load());

    // 1. Corpus: each indexed book once in order, then again and again with its sentences shuffled.
    List<String> books = List.of(Books.PRIDE, Books.POIROT);
    Path corpusDir = Files.createDirectories(work.resolve("corpus"));
    StringBuilder naiveCorpus = new StringBuilder(" ");
    long corpusWords = 0;
    int repetition = 0;
    Random shuffle = new Random(42);
    while (corpusWords < targetWords) {
      for (String book : books) {
        List<String> sentences = sentences(Books.body(book));
        if (repetition > 0) {
          Collections.shuffle(sentences, shuffle);
        }
        String text = String.join(" ", sentences);
        Path file = corpusDir.resolve(String.format("%04d-%s", repetition, book));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          out.write(text);
        }
        List<String> words = WordTokenizer.words(text);
        corpusWords += words.size();
        for (String w : words) {
          naiveCorpus.append(w).append(' ');
        }
        naiveCorpus.append("\n ");
      }
      repetition++;
    }
    System.out.printf("corpus: %,d words in %,d documents (%d repetitions of %s; first in order, then shuffled sentences)%n",
        corpusWords, repetition * books.size(), repetition, books);

    // 2. Build.
    Path indexDir = work.resolve("index");
    Map<BuildProgress.Phase, Long> phaseStart = new EnumMap<>(BuildProgress.Phase.class);
    BuildSummary built = new IndexBuilder(indexDir)
        .onProgress((phase, done, total) -> phaseStart.putIfAbsent(phase, System.nanoTime()))
        .addDirectory(corpusDir)
        .build();
    long end = System.nanoTime();
    double sorting = (phaseStart.get(BuildProgress.Phase.WRITING) - phaseStart.get(BuildProgress.Phase.SORTING)) / 1e9;
    double writing = (end - phaseStart.get(BuildProgress.Phase.WRITING)) / 1e9;
    System.out.printf("build: %,d words, %,d distinct, in %.1f s = %,.0f words/s (tokenizing and reading %.1f s, suffix array %.1f s, writing %.1f s)%n",
        built.tokens(), built.vocabulary(), built.seconds(), built.tokens() / built.seconds(),
        built.seconds() - sorting - writing, sorting, writing);
    System.out.printf("disk: %,d bytes = %.2f bytes per word token%n", built.bytesOnDisk(), built.bytesPerToken());

    // 3. Open.
    long t0 = System.nanoTime();
    AttributionIndex index = AttributionIndex.open(indexDir);
    double openMs = (System.nanoTime() - t0) / 1e6;
    System.out.printf("open: %.2f ms%n", openMs);

    // 4. Streaming lookups, one thread.
    List<String> copySource = new ArrayList<>();
    for (String book : books) {
      copySource.addAll(WordTokenizer.words(Books.body(book)));
    }
    List<String> fresh = WordTokenizer.words(Books.body(Books.GATSBY));
    Random random = new Random(7);
    List<List<String>> mixed = generations(random, copySource, fresh, 0.5);
    List<List<String>> freshOnly = generations(random, copySource, fresh, 0.0);
    List<List<String>> copiedOnly = generations(random, copySource, fresh, 1.0);
    StreamingMatcher matcher = new StreamingMatcher(index, MatchSettings.DEFAULTS);
    List<int[]> mixedIds = toIds(index, mixed);
    for (int warm = 0; warm < 2; warm++) {
      streamIds(matcher, mixedIds);
      stream(matcher, mixed);
      stream(matcher, freshOnly);
      stream(matcher, copiedOnly);
    }
    Measured ids = measure(() -> streamIds(matcher, mixedIds), mixed);
    Measured words = measure(() -> stream(matcher, mixed), mixed);
    Measured text = measure(() -> streamText(matcher, mixed), mixed);
    Measured freshWords = measure(() -> stream(matcher, freshOnly), freshOnly);
    Measured copiedWords = measure(() -> stream(matcher, copiedOnly), copiedOnly);
    Stats stats = stream(matcher, mixed);
    System.out.printf("streaming, mixed generations (half copied passages, half fresh text; %,d x %,d words):%n",
        GENERATIONS, GENERATION_WORDS);
    System.out.printf("  matcher on word ids:                        %s%n", ids.format());
    System.out.printf("  matcher with word lookup (append(String)):  %s%n", words.format());
    System.out.printf("  from text chunks (WordStream + lookup):     %s%n", text.format());
    System.out.printf("  fresh text only (append(String)):           %s%n", freshWords.format());
    System.out.printf("  copied passages only (append(String)):      %s%n", copiedWords.format());
    System.out.printf("  mean effective n %.2f; %,d spans >= 5 words; %,d verbatim events; mean creativity index %.2f%n",
        stats.meanLength(), stats.spans, stats.events, stats.creativity / GENERATIONS);

    // 5. Naive baseline: String.indexOf of each position's growing suffix over the corpus text.
    String corpusText = naiveCorpus.toString();
    naiveCorpus = null;
    List<String> sample = new ArrayList<>();
    for (List<String> g : mixed.subList(0, 20)) {
      sample.addAll(g);
    }
    MatchState check = matcher.start();
    List<String> current = new ArrayList<>();
    int done = 0;
    int agree = 0;
    long start = System.nanoTime();
    while (done < sample.size() && (System.nanoTime() - start) / 1e9 < NAIVE_SECONDS) {
      String w = sample.get(done);
      current.add(w);
      while (!current.isEmpty() && corpusText.indexOf(" " + String.join(" ", current) + " ") < 0) {
        current.remove(0);
      }
      if (matcher.append(check, w, MatchListener.NONE) == current.size()) {
        agree++;
      }
      done++;
    }
    double naiveSeconds = (System.nanoTime() - start) / 1e9;
    double naiveRate = done / naiveSeconds;
    System.out.printf("naive baseline: %,d words in %.1f s = %,.1f words/s over a %,d-character corpus text "
        + "(effective n agrees with the index at %,d of %,d positions)%n",
        done, naiveSeconds, naiveRate, corpusText.length(), agree, done);
    System.out.printf("speed-up of the index (append(String), mixed) over the naive baseline: %,.0fx; load average now %s%n",
        words.wordsPerSecond / naiveRate, load());
  }

  /** Sentences of a text: whitespace collapsed, split after . ! or ? followed by a space. */
  static List<String> sentences(String text) {
    return new ArrayList<>(Arrays.asList(text.replaceAll("\\s+", " ").trim().split("(?<=[.!?][\"'”’]?) ")));
  }

  /** Generations of passages of 20 to 150 words, each copied from the indexed books with the given probability. */
  private static List<List<String>> generations(Random random, List<String> copySource, List<String> fresh,
      double copied) {
    List<List<String>> out = new ArrayList<>();
    for (int g = 0; g < GENERATIONS; g++) {
      List<String> words = new ArrayList<>(GENERATION_WORDS);
      while (words.size() < GENERATION_WORDS) {
        List<String> source = random.nextDouble() < copied ? copySource : fresh;
        int length = 20 + random.nextInt(131);
        int from = random.nextInt(source.size() - length);
        words.addAll(source.subList(from, from + length));
      }
      out.add(words.subList(0, GENERATION_WORDS));
    }
    return out;
  }

  private static final class Stats {
    long length;
    long words;
    long spans;
    long events;
    double creativity;

    double meanLength() {
      return (double) length / words;
    }
  }

  private static Stats stream(StreamingMatcher matcher, List<List<String>> generations) {
    Stats stats = new Stats();
    MatchListener listener = listener(stats);
    for (List<String> generation : generations) {
      MatchState state = matcher.start();
      for (String word : generation) {
        stats.length += matcher.append(state, word, listener);
      }
      finish(matcher, state, listener, stats);
    }
    return stats;
  }

  private static Stats streamIds(StreamingMatcher matcher, List<int[]> generations) {
    Stats stats = new Stats();
    MatchListener listener = listener(stats);
    for (int[] generation : generations) {
      MatchState state = matcher.start();
      for (int word : generation) {
        stats.length += matcher.appendId(state, word, listener);
      }
      finish(matcher, state, listener, stats);
    }
    return stats;
  }

  private static Stats streamText(StreamingMatcher matcher, List<List<String>> generations) {
    Stats stats = new Stats();
    MatchListener listener = listener(stats);
    for (List<String> generation : generations) {
      MatchState state = matcher.start();
      WordStream words = new WordStream();
      for (String word : generation) {
        // Roughly how a model streams: a leading space and the word, as one chunk.
        words.feed(" " + word, w -> stats.length += matcher.append(state, w, listener));
      }
      words.finish(w -> stats.length += matcher.append(state, w, listener));
      finish(matcher, state, listener, stats);
    }
    return stats;
  }

  private static MatchListener listener(Stats stats) {
    return new MatchListener() {
      @Override
      public void span(Span span) {
        stats.spans++;
      }

      @Override
      public void verbatim(VerbatimEvent event) {
        stats.events++;
      }
    };
  }

  private static void finish(StreamingMatcher matcher, MatchState state, MatchListener listener, Stats stats) {
    matcher.finish(state, listener);
    stats.words += state.words();
    stats.creativity += matcher.summary(state).creativityIndex();
  }

  private static List<int[]> toIds(AttributionIndex index, List<List<String>> generations) {
    List<int[]> out = new ArrayList<>();
    for (List<String> g : generations) {
      out.add(g.stream().mapToInt(index::wordId).toArray());
    }
    return out;
  }

  /** Words per second of wall-clock time, and per second of this thread's CPU time (robust to a busy machine). */
  private record Measured(double wordsPerSecond, double wordsPerCpuSecond) {

    String format() {
      return String.format("%,12.0f words/s  (%,12.0f per CPU-second)", wordsPerSecond, wordsPerCpuSecond);
    }
  }

  /** The median of three timed runs. */
  private static Measured measure(Runnable run, List<List<String>> generations) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long words = (long) generations.size() * GENERATION_WORDS;
    double[] wall = new double[3];
    double[] cpu = new double[3];
    for (int r = 0; r < wall.length; r++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      run.run();
      wall[r] = words / ((System.nanoTime() - t0) / 1e9);
      cpu[r] = words / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return new Measured(wall[1], cpu[1]);
  }

  private static String load() {
    return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
