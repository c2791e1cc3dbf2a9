package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.fuzz.Fuzz;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.baseline.ModelBaseline;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the scoring engine (lexical scores, with and without attribution) through the offline scorer,
 * which decodes each record and keeps every generation's state serialised between events, as the
 * monitor does. Inputs come from {@link FuzzScript}: interleaved generations with every irregularity of
 * order, odd text and broken records. Whatever comes in: no exception escapes; every score record is
 * well formed (known scores, finite and in their documented ranges, a close reason on summaries); each
 * generation gets at most one summary and nothing after it; every dead letter names a documented
 * reason and says what was wrong; and the same input gives the same bytes again.
 *
 * <p>Seeded: a failure names its case seed; see {@link Fuzz} to replay it or explore other cases.
 */
class ScoringEngineFuzzTest {

  /** Scores in [0, 1] (docs/scores.md, docs/attribution.md). */
  private static final Set<String> UNIT = Set.of("sentence_coherence", "local_coherence", "global_commitment",
      "referential_drift", "ref_continuation", "ref_abandoned", "ref_new_entities", "repetition_rate",
      "mean_sentence_coherence", "max_referential_drift", "coverage_5", "coverage_6", "coverage_7", "coverage_8",
      "coverage_9", "coverage_10", "coverage_11", "coverage_12", "entity_shift", "max_entity_shift", "source_switch_rate");
  private static final Set<String> SIGNED_UNIT = Set.of("drift_index", "max_drift_index");
  private static final Set<String> AT_LEAST_ONE = Set.of("loop_repeats", "max_loop_repeats", "loop_period");
  private static final Set<String> NON_NEGATIVE = Set.of("tokens_per_second", "surprisal_mean", "longest_verbatim_span",
      "source_documents", "source_entropy_bits", "creativity_index", "generation_surprisal_mean", "entity_shift_at",
      "topic_shift_at", "verbatim_spans", "span_length_median", "span_length_p90");
  private static final Set<String> ANY = Set.of("surprisal_trend", "topic_shift", "max_topic_shift");

  /** Dead-letter reasons: the validation rules of docs/events.md and the engine's of docs/scores.md. */
  private static final Pattern REASON = Pattern.compile(
      "json\\.(empty|malformed|invalid_utf8|not_object)|type\\.(required|unknown)|field\\.type|v\\.(required|supported)"
          + "|(generation_id|run_id|model)\\.(required|length|control)|event_time\\.required|prompt\\.required"
          + "|sampling\\.(temperature|top_p|top_k|max_tokens)\\.range|seq\\.(required|non_negative|out_of_order)"
          + "|text\\.(required|length)|logprob\\.range|top_logprobs\\.entry|tokens\\.(non_empty|max|element)"
          + "|finish_reason\\.required|generation\\.(closed|unknown)|start\\.duplicate");
  private static final Set<String> FLAGS = Set.of("implicit_start", "late_start", "seq_gap", "semantic_unavailable");
  private static final Pattern CLOSE_REASON = Pattern.compile("(?s)end:.+|idle|eof");

  private static ScoringEngine lexical;
  private static ScoringEngine attributed;

  @BeforeAll
  static void engines(@TempDir Path dir) throws IOException {
    lexical = new ScoringEngine(ScoringSettings.DEFAULTS);
    // A small reference corpus made of the generator's own words, so that spans and verbatim alerts happen.
    String corpus = String.join(" ", List.of(
        "The old house stood on the hill above the quiet village, and the river ran past the window.",
        "Elizabeth said that Mr. Darcy was in the garden again when the rain stopped.",
        "Whales swim in cold northern waters and they said it was light on Cape Cod sand.",
        "I am sorry, I cannot help with that request.")).repeat(3);
    new IndexBuilder(dir).addText("fuzz-corpus.txt", corpus).build();
    AttributionIndex index = AttributionIndex.open(dir);
    attributed = new ScoringEngine(ScoringSettings.DEFAULTS, false,
        new AttributionScoring(new StreamingMatcher(index, MatchSettings.DEFAULTS.withVerbatimOver(6))));
  }

  /** Records that carried a percentile, over every case: the percentile checks must have had work. */
  private static final java.util.concurrent.atomic.AtomicLong PERCENTILES = new java.util.concurrent.atomic.AtomicLong();

  @Test
  void lexicalScoringSurvivesRandomAndMutatedStreams() {
    long before = PERCENTILES.get();
    Fuzz.run("lexical engine", 11, 60, seed -> check(seed, lexical));
    assertThat(PERCENTILES.get()).as("records with percentiles").isGreaterThan(before);
  }

  @Test
  void attributionSurvivesRandomAndMutatedStreams() {
    Fuzz.run("engine with attribution", 12, 25, seed -> check(seed, attributed));
  }

  static void check(long seed, ScoringEngine engine) {
    List<byte[]> lines = FuzzScript.lines(new Random(seed), 600);
    Captured first = score(engine, lines);
    String context = "case seed " + seed;

    int invalid = 0;
    for (byte[] line : lines) {
      try {
        EventCodec.decode(line);
      } catch (Exception e) {
        invalid++;
      }
    }
    assertThat(first.scorer.events()).as(context).isEqualTo(lines.size() - invalid);
    assertThat(first.deadLetters).as(context + ": a dead letter for every invalid record, at least").hasSizeGreaterThanOrEqualTo(invalid);
    assertThat(first.scorer.deadLetters()).as(context).isEqualTo(first.deadLetters.size());
    for (JsonNode letter : first.deadLetters) {
      assertThat(letter.path("reason").asText()).as(context + ": %s", letter).matches(REASON);
      assertThat(letter.path("message").asText()).as(context + ": %s", letter).isNotBlank();
      assertThat(letter.path("source_offset").asLong()).as(context).isBetween(1L, (long) lines.size());
    }

    Map<String, Integer> summaries = new HashMap<>();
    for (JsonNode record : first.scores) {
      String id = record.path("generation_id").asText();
      assertThat(summaries).as(context + ": a record after the summary of %s", id).doesNotContainKey(id);
      checkScoreRecord(record, context);
      if (record.path("kind").asText().equals("summary")) {
        summaries.merge(id, 1, Integer::sum);
      }
    }
    for (JsonNode alert : first.alerts) {
      assertThat(alert.path("state").asText()).as(context + ": %s", alert).isIn("firing", "resolved");
      assertThat(alert.path("value").isNumber() && Double.isFinite(alert.path("value").asDouble())).as(context + ": %s", alert).isTrue();
      assertThat(alert.path("rule").asText()).as(context).isNotBlank();
    }
    for (JsonNode span : first.spans) {
      assertThat(span.path("length").asInt()).as(context + ": %s", span).isPositive();
      assertThat(span.path("end_word").asInt() - span.path("start_word").asInt()).as(context + ": %s", span)
          .isEqualTo(span.path("length").asInt());
    }

    // Replays are byte-identical (checked on every fourth case: it doubles the work).
    if ((seed & 3) == 0) {
      List<String> again = score(engine, lines).raw.stream().map(ScoringEngineFuzzTest::text).toList();
      List<String> before = first.raw.stream().map(ScoringEngineFuzzTest::text).toList();
      for (int i = 0; i < Math.min(before.size(), again.size()); i++) {
        assertThat(again.get(i)).as(context + ": a replay wrote other bytes at record %d", i).isEqualTo(before.get(i));
      }
      assertThat(again).as(context + ": a replay wrote other records").hasSameSizeAs(before);
    }
  }

  private static void checkScoreRecord(JsonNode record, String context) {
    String what = context + ": " + abbreviate(record);
    String kind = record.path("kind").asText();
    assertThat(kind).as(what).isIn("sentence", "summary");
    assertThat(record.path("v").asInt()).as(what).isEqualTo(1);
    assertThat(record.path("generation_id").asText()).as(what).isNotBlank();
    assertThat(record.path("tokens").asLong()).as(what).isNotNegative();
    assertThat(record.path("sentences").asInt()).as(what).isNotNegative();
    long firstSeq = record.path("first_seq").asLong();
    long lastSeq = record.path("last_seq").asLong();
    if (kind.equals("sentence")) {
      assertThat(record.path("sentence").asInt()).as(what).isNotNegative();
      assertThat(record.path("sentences").asInt()).as(what).isEqualTo(record.path("sentence").asInt() + 1);
      assertThat(firstSeq).as(what).isNotNegative().isLessThanOrEqualTo(lastSeq);
      assertThat(record.has("close_reason")).as(what).isFalse();
    } else {
      assertThat(record.path("close_reason").asText()).as(what).matches(CLOSE_REASON);
      assertThat(record.has("sentence")).as(what).isFalse();
      if (record.path("tokens").asLong() > 0) {
        assertThat(firstSeq).as(what).isNotNegative().isLessThanOrEqualTo(lastSeq);
      }
    }
    for (JsonNode flag : record.path("flags")) {
      assertThat(flag.asText()).as(what).isIn(FLAGS);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = record.path("scores").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> score = it.next();
      String name = score.getKey();
      assertThat(score.getValue().isNumber()).as(what + ": %s is not a number", name).isTrue();
      double value = score.getValue().asDouble();
      assertThat(Double.isFinite(value)).as(what + ": %s", name).isTrue();
      if (name.endsWith(Baselines.PCT_SUFFIX)) {
        // A percentile in the model's baseline, beside an alertable score or its generation maximum.
        assertThat(value).as(what + ": %s", name).isBetween(0.0, 100.0);
        String of = name.substring(0, name.length() - Baselines.PCT_SUFFIX.length());
        assertThat(ModelBaseline.SCORES).as(what + ": percentile of %s", of)
            .contains(of.startsWith(ModelBaseline.MAX_PREFIX) ? of.substring(ModelBaseline.MAX_PREFIX.length()) : of);
        assertThat(record.path("scores").has(of)).as(what + ": %s beside %s", name, of).isTrue();
        PERCENTILES.incrementAndGet();
      } else if (UNIT.contains(name)) {
        assertThat(value).as(what + ": %s", name).isBetween(0.0, 1.0);
      } else if (SIGNED_UNIT.contains(name)) {
        assertThat(value).as(what + ": %s", name).isBetween(-1.0, 1.0);
      } else if (AT_LEAST_ONE.contains(name)) {
        assertThat(value).as(what + ": %s", name).isGreaterThanOrEqualTo(1.0);
      } else if (NON_NEGATIVE.contains(name)) {
        assertThat(value).as(what + ": %s", name).isNotNegative();
      } else {
        assertThat(ANY).as(what + ": unknown score %s", name).contains(name);
      }
    }
  }

  private static String text(byte[] json) {
    return new String(json, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 600 ? text.substring(0, 600) + "..." : text;
  }

  /** What one run of the offline scorer wrote. */
  private record Captured(OfflineScorer scorer, List<JsonNode> scores, List<JsonNode> alerts, List<JsonNode> spans,
      List<JsonNode> deadLetters, List<byte[]> raw) {}

  private static Captured score(ScoringEngine engine, List<byte[]> lines) {
    List<JsonNode> scores = new ArrayList<>();
    List<JsonNode> alerts = new ArrayList<>();
    List<JsonNode> spans = new ArrayList<>();
    List<JsonNode> deadLetters = new ArrayList<>();
    List<byte[]> raw = new ArrayList<>();
    // Baselines ready after one generation of a model, so that most records carry percentiles.
    OfflineScorer scorer = new OfflineScorer(engine, null,
        new InMemoryGenerationStore(Baselines.inMemory(new BaselineSettings(1, null, Map.of()))), "fuzz", new OfflineScorer.Sink() {
      @Override
      public void score(byte[] json) {
        scores.add(read(json));
        raw.add(json);
      }

      @Override
      public void alert(byte[] json) {
        alerts.add(read(json));
        raw.add(json);
      }

      @Override
      public void deadLetter(byte[] json) {
        deadLetters.add(read(json));
        raw.add(json);
      }

      @Override
      public void span(byte[] json) {
        spans.add(read(json));
        raw.add(json);
      }
    });
    for (int i = 0; i < lines.size(); i++) {
      scorer.accept(lines.get(i), i + 1);
    }
    scorer.finish();
    return new Captured(scorer, scores, alerts, spans, deadLetters, raw);
  }

  private static JsonNode read(byte[] json) {
    try {
      return EventCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("the scorer wrote unreadable JSON: " + new String(json, java.nio.charset.StandardCharsets.UTF_8), e);
    }
  }
}
