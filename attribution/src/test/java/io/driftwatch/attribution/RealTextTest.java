package io.driftwatch.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real prose: an index of two books, generations streamed in as text chunks of random sizes (like model
 * tokens) through a {@link WordStream}, and a third book that is not in the index as "fresh" text.
 */
class RealTextTest {

  @TempDir
  static Path tmp;

  static StreamingMatcher matcher;
  static List<String> pride;
  static List<String> poirot;
  static List<String> gatsby;

  @BeforeAll
  static void buildIndex() throws IOException {
    new IndexBuilder(tmp).addFile(Books.path(Books.PRIDE)).addFile(Books.path(Books.POIROT)).build();
    matcher = new StreamingMatcher(AttributionIndex.open(tmp), MatchSettings.DEFAULTS);
    pride = Books.words(Books.PRIDE);
    poirot = Books.words(Books.POIROT);
    gatsby = WordTokenizer.words(Books.body(Books.GATSBY));
  }

  @Test
  void copyingSixtyWordsThenWritingFreshTextRaisesOneVerbatimEventWithItsSource() {
    int offset = 61_234;
    List<String> generation = new ArrayList<>(pride.subList(offset, offset + 60));
    generation.addAll(gatsby.subList(10_000, 10_300));

    Result result = stream(generation);

    assertThat(result.events).hasSize(1);
    VerbatimEvent event = result.events.get(0);
    assertThat(event.start()).isZero();
    assertThat(event.length()).isEqualTo(41);
    assertThat(event.occurrences()).isEqualTo(1);
    assertThat(event.source().documentName()).endsWith(Books.PRIDE);
    assertThat(event.source().offset()).isEqualTo(offset);
    assertThat(matcher.index().document(event.source().document()).name()).endsWith(Books.PRIDE);

    // The copied passage closes as one span of (at least) the 60 copied words, and nothing else is long.
    Span copied = result.spans.get(0);
    assertThat(copied.start()).isZero();
    assertThat(copied.length()).isBetween(60, 62);
    assertThat(result.spans.subList(1, result.spans.size())).allSatisfy(s -> assertThat(s.length()).isLessThan(12));
    assertThat(result.summary.longestSpan()).isEqualTo(copied.length());
    assertThat(result.summary.sourceDocuments()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void textFromABookOutsideTheIndexIsAlmostNeverCovered() {
    Result result = stream(gatsby.subList(2_000, 7_000));
    System.out.printf("fresh text: coverage L=5 %.4f, L=8 %.4f, L=12 %.4f, creativity index %.3f, longest %d%n",
        result.summary.coverage(5), result.summary.coverage(8), result.summary.coverage(12),
        result.summary.creativityIndex(), result.summary.longestSpan());
    assertThat(result.events).isEmpty();
    assertThat(result.summary.coverage(12)).isLessThan(0.005);
    assertThat(result.summary.creativityIndex()).isGreaterThan(7.0);
  }

  @Test
  void copiedTextIsFullyCoveredWithOneSourceAndAMosaicHasTwo() {
    Result copy = stream(poirot.subList(20_000, 20_500));
    assertThat(copy.summary.coverage(12)).isEqualTo(1.0);
    assertThat(copy.summary.creativityIndex()).isZero();
    assertThat(copy.summary.sourceDocuments()).isEqualTo(1);
    assertThat(copy.summary.sourceEntropyBits()).isZero();
    assertThat(copy.events).hasSize(1);
    assertThat(copy.events.get(0).source().documentName()).endsWith(Books.POIROT);
    assertThat(copy.events.get(0).source().offset()).isEqualTo(20_000);

    // Twenty-word passages taken in turn from the two books: a mosaic of two equal sources, about 1 bit.
    List<String> mosaic = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      List<String> book = k % 2 == 0 ? pride : poirot;
      int from = 5_000 + 3_001 * k;
      mosaic.addAll(book.subList(from, from + 20));
    }
    Result result = stream(mosaic);
    assertThat(result.events).isEmpty();
    assertThat(result.summary.sourceDocuments()).isEqualTo(2);
    assertThat(result.summary.sourceEntropyBits()).isBetween(0.95, 1.0);
    assertThat(result.summary.coverage(12)).isGreaterThan(0.9);
  }

  @Test
  void threadsSharingOneIndexAndMatcherGetTheSameAnswersAsOneThread() throws Exception {
    List<List<String>> generations = new ArrayList<>();
    Random random = new Random(3);
    for (int g = 0; g < 16; g++) {
      List<String> words = new ArrayList<>();
      while (words.size() < 400) {
        List<String> source = random.nextBoolean() ? (random.nextBoolean() ? pride : poirot) : gatsby;
        int from = random.nextInt(source.size() - 80);
        words.addAll(source.subList(from, from + 10 + random.nextInt(70)));
      }
      generations.add(words);
    }
    List<Result> alone = generations.stream().map(RealTextTest::stream).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (List<String> generation : generations) {
          futures.add(pool.submit(() -> stream(generation)));
        }
      }
      for (int f = 0; f < futures.size(); f++) {
        assertThat(futures.get(f).get()).isEqualTo(alone.get(f % generations.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private record Result(List<Span> spans, List<VerbatimEvent> events, AttributionSummary summary) {}

  /** Streams the words as text in random-sized chunks, as a model would emit them. */
  private static Result stream(List<String> words) {
    List<Span> spans = new ArrayList<>();
    List<VerbatimEvent> events = new ArrayList<>();
    MatchListener listener = new MatchListener() {
      @Override
      public void span(Span span) {
        spans.add(span);
      }

      @Override
      public void verbatim(VerbatimEvent event) {
        events.add(event);
      }
    };
    String text = String.join(" ", words);
    Random random = new Random(text.length());
    MatchState state = matcher.start();
    WordStream stream = new WordStream();
    for (int at = 0; at < text.length(); ) {
      int end = Math.min(text.length(), at + 1 + random.nextInt(8));
      stream.feed(text.substring(at, end), w -> matcher.append(state, w, listener));
      at = end;
    }
    stream.finish(w -> matcher.append(state, w, listener));
    matcher.finish(state, listener);
    assertThat(state.words()).isEqualTo(words.size());
    return new Result(spans, events, matcher.summary(state));
  }
}
