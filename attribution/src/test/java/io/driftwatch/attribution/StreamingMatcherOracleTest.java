package io.driftwatch.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming matcher against brute force, on many random small corpora and generations over a small
 * alphabet (so repeats, long matches and breaks are frequent). The oracle searches the corpus word lists
 * naively for every suffix it needs and follows the documented definition of the windowed effective n.
 */
class StreamingMatcherOracleTest {

  private static final String[] ALPHABET = {"a", "b", "c"};

  @TempDir
  Path tmp;

  @Test
  void agreesWithBruteForceAtEveryPosition() throws IOException {
    Random random = new Random(2024);
    int[] windows = {1, 2, 3, 5, 12, 1024};
    for (int trial = 0; trial < 300; trial++) {
      List<List<String>> corpus = randomCorpus(random);
      Path dir = tmp.resolve("i" + trial);
      IndexBuilder builder = new IndexBuilder(dir);
      for (int d = 0; d < corpus.size(); d++) {
        builder.addText("doc" + d, String.join(" ", corpus.get(d)));
      }
      builder.build();
      AttributionIndex index = AttributionIndex.open(dir);
      MatchSettings settings = MatchSettings.DEFAULTS
          .withWindow(windows[random.nextInt(windows.length)])
          .withMinSpan(1 + random.nextInt(6))
          .withVerbatimOver(1 + random.nextInt(8));
      List<String> generation = randomGeneration(random, corpus);
      String label = "trial " + trial + " settings " + settings + "\ncorpus " + corpus + "\ngeneration " + generation;

      Run run = Run.of(new StreamingMatcher(index, settings), generation, random);
      int[] expected = oracleMatchLengths(corpus, generation, settings.window());

      // Effective n at every position, and its relation to the true longest match.
      assertThat(run.lengths).as(label).containsExactly(expected);
      int[] truth = new int[generation.size()];
      for (int i = 0; i < generation.size(); i++) {
        truth[i] = trueLongest(corpus, generation, i);
        assertThat(expected[i]).as(label).isBetween(Math.min(truth[i], settings.window()), truth[i]);
      }

      // Maximal spans: positions, lengths, total counts; listed occurrences really are occurrences.
      List<int[]> spans = oracleSpans(expected, settings.minSpan());
      assertThat(run.spans).as(label).hasSize(spans.size());
      for (int s = 0; s < spans.size(); s++) {
        Span span = run.spans.get(s);
        List<String> words = generation.subList(spans.get(s)[0], spans.get(s)[1]);
        assertThat(new int[] {span.start(), span.end()}).as(label).containsExactly(spans.get(s));
        assertThat(span.occurrences()).as(label).isEqualTo(Oracle.count(corpus, words));
        assertThat(span.listed()).as(label).hasSize((int) Math.min(span.occurrences(), settings.listedOccurrences()));
        for (Occurrence o : span.listed()) {
          List<String> doc = corpus.get(o.document());
          assertThat(doc.subList(o.offset(), o.offset() + words.size())).as(label).isEqualTo(words);
          assertThat(o.documentName()).isEqualTo("doc" + o.document());
        }
      }

      // Coverage at every L, from the windowed lengths; with a window of at least 12 it equals the
      // coverage of the true longest matches.
      AttributionSummary summary = run.summary;
      double creativity = 0;
      for (int length = 5; length <= 12 && !generation.isEmpty(); length++) {
        double share = coverage(expected, length);
        assertThat(summary.coverage(length)).as(label + " L=" + length).isCloseTo(share, within());
        if (settings.window() >= 12) {
          assertThat(coverage(truth, length)).as(label).isCloseTo(share, within());
        }
        creativity += 1 - share;
      }
      if (generation.isEmpty()) {
        assertThat(summary.coverage(5)).isNaN();
        assertThat(summary.creativityIndex()).isNaN();
      } else {
        assertThat(summary.creativityIndex()).as(label).isCloseTo(creativity, within());
      }
      assertThat(summary.words()).isEqualTo(generation.size());
      assertThat(summary.spans()).isEqualTo(spans.size());
      assertThat(summary.longestSpan()).isEqualTo(max(expected));

      // One verbatim event per span that grows past the threshold, at the word where it does.
      List<int[]> events = new ArrayList<>();
      for (int i = 0; i < expected.length; i++) {
        boolean continues = i > 0 && expected[i] == expected[i - 1] + 1;
        if (expected[i] > settings.verbatimOver() && !(continues && expected[i - 1] > settings.verbatimOver())) {
          events.add(new int[] {i - expected[i] + 1, expected[i]});
        }
      }
      assertThat(run.events).as(label).hasSize(events.size());
      for (int e = 0; e < events.size(); e++) {
        assertThat(new int[] {run.events.get(e).start(), run.events.get(e).length()}).as(label)
            .containsExactly(events.get(e));
      }

      // Sources: each span's length split equally among the distinct documents it lists.
      assertThat(summary.sourceEntropyBits()).as(label).isCloseTo(entropy(run.spans, corpus.size()), within());
    }
  }

  /** Runs a generation through the matcher, round-tripping its state through bytes at random points. */
  private static final class Run {
    final List<Span> spans = new ArrayList<>();
    final List<VerbatimEvent> events = new ArrayList<>();
    int[] lengths;
    AttributionSummary summary;

    static Run of(StreamingMatcher matcher, List<String> generation, Random random) {
      Run run = new Run();
      MatchListener listener = new MatchListener() {
        @Override
        public void span(Span span) {
          run.spans.add(span);
        }

        @Override
        public void verbatim(VerbatimEvent event) {
          run.events.add(event);
        }
      };
      run.lengths = new int[generation.size()];
      MatchState state = matcher.start();
      for (int i = 0; i < generation.size(); i++) {
        run.lengths[i] = matcher.append(state, generation.get(i), listener);
        if (random.nextInt(3) == 0) {
          byte[] bytes = MatchStateCodec.encode(state);
          state = MatchStateCodec.decode(bytes);
          assertThat(MatchStateCodec.encode(state)).isEqualTo(bytes);
        }
      }
      matcher.finish(state, listener);
      run.summary = matcher.summary(state);
      return run;
    }
  }

  /** The documented definition, with brute-force occurrence checks. */
  static int[] oracleMatchLengths(List<List<String>> corpus, List<String> generation, int window) {
    int[] m = new int[generation.size()];
    int previous = 0;
    for (int i = 0; i < generation.size(); i++) {
      if (Oracle.occurs(corpus, generation.subList(i - previous, i + 1))) {
        m[i] = previous + 1;
      } else {
        m[i] = 0;
        for (int length = Math.min(previous, window); length >= 1; length--) {
          if (Oracle.occurs(corpus, generation.subList(i - length + 1, i + 1))) {
            m[i] = length;
            break;
          }
        }
      }
      previous = m[i];
    }
    return m;
  }

  /** The longest run of words ending at i that occurs anywhere in the corpus, trying every length. */
  static int trueLongest(List<List<String>> corpus, List<String> generation, int i) {
    int best = 0;
    for (int length = 1; length <= i + 1; length++) {
      if (Oracle.occurs(corpus, generation.subList(i - length + 1, i + 1))) {
        best = length;
      } else {
        break; // a longer run ending at i contains this one, so it cannot occur either
      }
    }
    return best;
  }

  /** Spans [start, end) at the positions where the match is not extended by the next word. */
  static List<int[]> oracleSpans(int[] m, int minSpan) {
    List<int[]> spans = new ArrayList<>();
    for (int i = 0; i < m.length; i++) {
      boolean extendedNext = i + 1 < m.length && m[i + 1] == m[i] + 1;
      if (!extendedNext && m[i] >= minSpan) {
        spans.add(new int[] {i - m[i] + 1, i + 1});
      }
    }
    return spans;
  }

  /** Share of positions j covered by some interval [i - m[i] + 1, i] with m[i] >= length. */
  static double coverage(int[] m, int length) {
    if (m.length == 0) {
      return Double.NaN;
    }
    int covered = 0;
    for (int j = 0; j < m.length; j++) {
      for (int i = j; i < m.length; i++) {
        if (m[i] >= length && i - m[i] + 1 <= j) {
          covered++;
          break;
        }
      }
    }
    return (double) covered / m.length;
  }

  static double entropy(List<Span> spans, int documents) {
    double[] weight = new double[documents];
    double total = 0;
    for (Span span : spans) {
      long[] distinct = span.listed().stream().mapToLong(Occurrence::document).distinct().toArray();
      for (long d : distinct) {
        weight[(int) d] += (double) span.length() / distinct.length;
      }
      total += span.length();
    }
    double h = 0;
    for (double w : weight) {
      if (w > 0) {
        h -= w / total * Math.log(w / total) / Math.log(2);
      }
    }
    return h;
  }

  /**
   * Small documents, or in one trial of three larger ones where each word has one successor it is never
   * followed by: suffix ranges then grow past the matcher's bigram-filter threshold while some pairs of
   * words (which random generations contain) never occur.
   */
  private static List<List<String>> randomCorpus(Random random) {
    List<List<String>> corpus = new ArrayList<>();
    boolean large = random.nextInt(3) == 0;
    int documents = 1 + random.nextInt(4);
    for (int d = 0; d < documents; d++) {
      List<String> doc = new ArrayList<>();
      int length = random.nextInt(large ? 400 : 50);
      for (int w = 0; w < length; w++) {
        int next = random.nextInt(ALPHABET.length);
        if (large && w > 0 && doc.get(w - 1).equals(ALPHABET[(next + 1) % ALPHABET.length])) {
          next = (next + 1) % ALPHABET.length;
        }
        doc.add(ALPHABET[next]);
      }
      corpus.add(doc);
    }
    return corpus;
  }

  /** Random words, an unknown word now and then, and copied stretches of the corpus for long matches. */
  private static List<String> randomGeneration(Random random, List<List<String>> corpus) {
    List<String> generation = new ArrayList<>();
    int length = random.nextInt(70);
    while (generation.size() < length) {
      List<String> doc = corpus.get(random.nextInt(corpus.size()));
      if (random.nextInt(3) == 0 && !doc.isEmpty()) {
        int from = random.nextInt(doc.size());
        int to = Math.min(doc.size(), from + 1 + random.nextInt(30));
        generation.addAll(doc.subList(from, to));
      } else if (random.nextInt(10) == 0) {
        generation.add("z");
      } else {
        generation.add(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
    }
    return generation;
  }

  private static int max(int[] values) {
    int max = 0;
    for (int v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
