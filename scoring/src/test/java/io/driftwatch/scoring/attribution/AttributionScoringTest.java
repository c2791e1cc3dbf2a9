package io.driftwatch.scoring.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.attribution.WordTokenizer;
import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.SpanRecord;
import io.driftwatch.producers.text.SimpleTokenizer;
import io.driftwatch.scoring.engine.Output;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.engine.StateCodec;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attribution in the scoring engine, on real text: Pride and Prejudice is the reference corpus; Cape
 * Cod, not in it, is the free text. The engine's state goes through the store's JSON round trip at
 * every event, as in the monitor.
 */
class AttributionScoringTest {

  private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
  private static String book;
  private static String freeText;
  private static ScoringEngine engine;
  private static AttributionScoring attribution;

  @BeforeAll
  static void index(@TempDir Path dir) throws IOException {
    book = resource("pride_and_prejudice.txt");
    freeText = resource("cape_cod.txt");
    new IndexBuilder(dir).addText("pride_and_prejudice.txt", book).build();
    AttributionIndex index = AttributionIndex.open(dir);
    attribution = new AttributionScoring(new StreamingMatcher(index, MatchSettings.DEFAULTS));
    engine = new ScoringEngine(ScoringSettings.DEFAULTS, false, attribution);
  }

  @Test
  void sixtyCopiedWordsRaiseExactlyOneVerbatimAlertNamingTheBookAndOffset() {
    int at = book.indexOf("It is a truth universally acknowledged");
    String copied = firstWords(book.substring(at), 60);
    int offset = WordTokenizer.words(book.substring(0, at)).size();
    String before = firstWords(freeText.substring(freeText.indexOf("Wishing to get a better view")), 80);
    String after = firstWords(freeText.substring(freeText.indexOf("The next morning")), 120);

    List<Output> outputs = run("g", before + " " + copied + " " + after);
    List<AlertEvent> verbatim = outputs.stream().flatMap(o -> o.alerts().stream())
        .filter(a -> a.rule().equals(ScoringEngine.VERBATIM_RULE)).toList();
    assertThat(verbatim).singleElement().satisfies(a -> {
      assertThat(a.sources()).first().satisfies(source -> {
        assertThat(source.document()).isEqualTo("pride_and_prejudice.txt");
        assertThat(source.offset()).isEqualTo(offset);
      });
      assertThat(a.value()).isEqualTo(41.0);
      assertThat(a.firstSeq()).isPositive();
    });
    List<SpanRecord> spans = outputs.stream().flatMap(o -> o.spans().stream()).filter(s -> s.length() >= 40).toList();
    assertThat(spans).singleElement().satisfies(s -> {
      assertThat(s.length()).isBetween(60, 62);
      assertThat(s.sources()).extracting(SpanRecord.Source::document).containsOnly("pride_and_prejudice.txt");
    });
    ScoreRecord summary = summary(outputs);
    assertThat(summary.scores().get("longest_verbatim_span")).isBetween(60.0, 62.0);
    assertThat(summary.scores().get("source_documents")).isEqualTo(1.0);
    assertThat(summary.scores().get("source_entropy_bits")).isEqualTo(0.0);
    // About 60 of 260 words lie in the copied span.
    assertThat(summary.scores().get("coverage_12")).isBetween(0.2, 0.3);
  }

  @Test
  void textFromABookNotInTheIndexHasNearZeroCoverage() {
    String free = firstWords(freeText.substring(freeText.indexOf("The next morning")), 400);
    ScoreRecord summary = summary(run("free", free));
    assertThat(summary.scores().get("coverage_12")).isLessThan(0.02);
    assertThat(summary.scores().get("creativity_index")).isGreaterThan(7.5);
    assertThat(summary.scores()).containsKeys("coverage_5", "coverage_8", "source_entropy_bits");
  }

  @Test
  void withTheLexicalScoresOffAttributionScoresTheSameAlone() {
    int at = book.indexOf("It is a truth universally acknowledged");
    String text = firstWords(freeText.substring(freeText.indexOf("Wishing to get a better view")), 80) + " "
        + firstWords(book.substring(at), 60);
    ScoringEngine alone = new ScoringEngine(ScoringSettings.DEFAULTS.withLexical(false), false, attribution);
    List<Output> both = run(engine, "both", text);
    List<Output> attributionOnly = run(alone, "alone", text);

    ScoreRecord full = summary(both);
    ScoreRecord only = summary(attributionOnly);
    assertThat(only.scores()).doesNotContainKeys("local_coherence", "referential_drift", "repetition_rate", "loop_repeats",
        "max_drift_index", "mean_sentence_coherence");
    assertThat(full.scores()).containsKeys("local_coherence", "repetition_rate");
    for (String score : List.of("longest_verbatim_span", "coverage_12", "creativity_index", "tokens_per_second")) {
      assertThat(only.scores().get(score)).as(score).isNotNull().isEqualTo(full.scores().get(score));
    }
    assertThat(only.sentences()).isEqualTo(full.sentences());
    assertThat(attributionOnly.stream().mapToLong(o -> o.spans().size()).sum())
        .isEqualTo(both.stream().mapToLong(o -> o.spans().size()).sum()).isPositive();
  }

  /**
   * Pieces of 20, 30, 40 and 50 words taken in turn from two indexed books, each followed by a word in
   * neither: four spans, each from the other book than the one before, so the summary's mosaic is four
   * spans, a switch at every pair, and the length quantiles of the four span records.
   */
  @Test
  void aTwoBookMosaicSwitchesSourceAtEverySpan(@TempDir Path dir) throws IOException {
    new IndexBuilder(dir).addText("pride_and_prejudice.txt", book).addText("cape_cod.txt", freeText).build();
    ScoringEngine twoBooks = new ScoringEngine(ScoringSettings.DEFAULTS, false,
        new AttributionScoring(new StreamingMatcher(AttributionIndex.open(dir), MatchSettings.DEFAULTS)));
    String text = firstWords(book.substring(book.indexOf("It is a truth universally acknowledged")), 20) + " zqxvw "
        + firstWords(freeText.substring(freeText.indexOf("Wishing to get a better view")), 30) + " zqxvw "
        + firstWords(book.substring(book.indexOf("Mr. Bennet was among the earliest")), 40) + " zqxvw "
        + firstWords(freeText.substring(freeText.indexOf("The next morning")), 50) + " zqxvw.";

    List<Output> outputs = run(twoBooks, "mosaic", text);
    List<SpanRecord> spans = outputs.stream().flatMap(o -> o.spans().stream()).toList();
    assertThat(spans).hasSize(4);
    assertThat(spans).extracting(s -> s.sources().get(0).document())
        .containsExactly("pride_and_prejudice.txt", "cape_cod.txt", "pride_and_prejudice.txt", "cape_cod.txt");
    List<Integer> lengths = spans.stream().map(SpanRecord::length).sorted().toList();
    ScoreRecord summary = summary(outputs);
    assertThat(summary.scores().get("verbatim_spans")).isEqualTo(4.0);
    assertThat(summary.scores().get("span_length_median")).isEqualTo((double) lengths.get(1));
    assertThat(summary.scores().get("span_length_p90")).isEqualTo((double) lengths.get(3));
    assertThat(summary.scores().get("source_switch_rate")).isEqualTo(1.0);
    assertThat(summary.scores().get("source_documents")).isEqualTo(2.0);
  }

  private static List<Output> run(String id, String text) {
    return run(engine, id, text);
  }

  private static List<Output> run(ScoringEngine engine, String id, String text) {
    InMemoryGenerationStore store = new InMemoryGenerationStore();
    List<Output> outputs = new ArrayList<>();
    outputs.add(engine.process(new GenerationEvent.Start(1, id, "r", "m", "Continue.", null, Map.of(), T0), store));
    List<String> tokens = SimpleTokenizer.tokenize(text);
    for (int i = 0; i < tokens.size(); i++) {
      outputs.add(engine.process(new GenerationEvent.Token(1, id, (long) i, tokens.get(i), null, null, null, T0.plusMillis(20L * i)), store));
      if (store.get(id) != null) {
        assertThat(StateCodec.decode(StateCodec.encode(store.get(id)))).isNotNull();
      }
    }
    outputs.add(engine.process(new GenerationEvent.End(1, id, "stop", T0.plusSeconds(60)), store));
    return outputs;
  }

  private static ScoreRecord summary(List<Output> outputs) {
    return outputs.stream().flatMap(o -> o.scores().stream()).filter(r -> r.kind().equals(ScoreRecord.SUMMARY)).findFirst().orElseThrow();
  }

  /** The shortest prefix of {@code text} holding {@code n} words (by the index's tokenizer). */
  private static String firstWords(String text, int n) {
    int end = 0;
    while (WordTokenizer.words(text.substring(0, end)).size() < n || (end < text.length() && Character.isLetterOrDigit(text.charAt(end)))) {
      end++;
    }
    return text.substring(0, end).replaceAll("\\s+", " ").strip();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = AttributionScoringTest.class.getResourceAsStream("/io/driftwatch/producers/books/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
