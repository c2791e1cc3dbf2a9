package io.driftwatch.scoring.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.calibration.Books;
import io.driftwatch.producers.calibration.CalibrationEvents;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.producers.calibration.LegitimateRepetition;
import io.driftwatch.producers.text.SimpleTokenizer;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process guard on the real engine with its default rules: where it trips, and where it must not. */
class GuardEvaluatorTest {

  private static final Instant T0 = Instant.parse("2026-12-04T00:00:00Z");
  private static final GuardEvaluator LOOP_GUARD = new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS), Set.of("loop"));

  @Test
  void aLoopTripsOnceAtTheTokenWhereTheLoopRuleFires() {
    String opening = "The migration moves the billing tables to the new cluster and keeps the old one readable for a week. ";
    String loop = "Retry the export of the ledger table. ".repeat(40);
    List<GenerationEvent> events = events("g-loop", opening + loop);
    GuardEvaluator.Session session = LOOP_GUARD.open();
    List<GuardTrip> trips = new ArrayList<>();
    for (GenerationEvent e : events) {
      session.accept(e).ifPresent(trips::add);
    }
    assertThat(trips).hasSize(1);
    GuardTrip trip = trips.get(0);
    assertThat(trip.rule()).isEqualTo("loop");
    long openingTokens = SimpleTokenizer.tokenize(opening).size();
    long loopPeriod = SimpleTokenizer.tokenize("Retry the export of the ledger table. ").size();
    // Inside the loop, within a few of its periods (the rule needs 2.2 repeats, checked at each sentence end).
    assertThat(trip.seq()).isGreaterThan(openingTokens).isLessThan(openingTokens + 4 * loopPeriod);
  }

  @Test
  void legitimateRepetitionNeverTrips() {
    List<LabelledText> corpus = LegitimateRepetition.standard();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(150);
    List<String> tripped = new ArrayList<>();
    for (LabelledText text : corpus) {
      GuardEvaluator.Session session = LOOP_GUARD.open();
      for (GenerationEvent e : CalibrationEvents.of(text, "r", "m").events()) {
        session.accept(e).ifPresent(t -> tripped.add(text.id() + " (" + text.genre() + ") at " + t.seq()));
      }
    }
    assertThat(tripped).isEmpty();
  }

  @Test
  void aVerbatimPasteOfAnIndexedBookTripsVerbatimCopy(@TempDir Path dir) throws Exception {
    String book = Books.text("pride_and_prejudice");
    new IndexBuilder(dir).addText("pride_and_prejudice.txt", book).build();
    AttributionScoring attribution = new AttributionScoring(new StreamingMatcher(AttributionIndex.open(dir), MatchSettings.DEFAULTS));
    GuardEvaluator guard = new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS, false, attribution), Set.of("verbatim_copy"));
    int at = book.indexOf("It is a truth universally acknowledged");
    String pasted = book.substring(at, at + 3000).replaceAll("\\s+", " ");
    GuardEvaluator.Session session = guard.open();
    Optional<GuardTrip> trip = Optional.empty();
    for (GenerationEvent e : events("g-copy", "Here is a passage I wrote myself about a wedding: " + pasted)) {
      Optional<GuardTrip> t = session.accept(e);
      if (t.isPresent()) {
        trip = t;
      }
    }
    assertThat(trip).get().extracting(GuardTrip::rule).isEqualTo("verbatim_copy");
    // The span grows past the threshold of 40 words: it trips there, long before the paste ends.
    assertThat(trip.get().seq()).isLessThan(SimpleTokenizer.tokenize(pasted).size() / 2);
  }

  @Test
  void anUnguardedRuleFiringDoesNotTrip() {
    GuardEvaluator entityOnly = new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS), Set.of("entity_shift"));
    GuardEvaluator.Session session = entityOnly.open();
    for (GenerationEvent e : events("g", "Retry the export of the ledger table. ".repeat(40))) {
      assertThat(session.accept(e)).isEmpty();
    }
  }

  @Test
  void saysWhichRulesItCanDecideInProcess() {
    assertThat(GuardEvaluator.unavailable("loop", ScoringSettings.DEFAULTS, false)).isNull();
    assertThat(GuardEvaluator.unavailable("entity_shift", ScoringSettings.DEFAULTS, false)).isNull();
    assertThat(GuardEvaluator.unavailable("verbatim_copy", ScoringSettings.DEFAULTS, true)).isNull();
    assertThat(GuardEvaluator.unavailable("verbatim_copy", ScoringSettings.DEFAULTS, false)).contains("--index");
    assertThat(GuardEvaluator.unavailable("topic_shift", ScoringSettings.DEFAULTS, false)).contains("embeddings");
    assertThat(GuardEvaluator.unavailable("neighbour_shift", ScoringSettings.DEFAULTS, false)).contains("embeddings");
    assertThat(GuardEvaluator.unavailable("no_such_rule", ScoringSettings.DEFAULTS, false)).contains("no alert rule");
  }

  @Test
  void refusesAnEngineThatWaitsForEmbeddings() {
    assertThatThrownBy(() -> new GuardEvaluator(new ScoringEngine(ScoringSettings.DEFAULTS, true), Set.of("loop")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<GenerationEvent> events(String id, String text) {
    List<GenerationEvent> events = new ArrayList<>();
    events.add(new GenerationEvent.Start(1, id, "r", "m", "Write.", null, Map.of(), T0));
    long seq = 0;
    for (String token : SimpleTokenizer.tokenize(text)) {
      events.add(new GenerationEvent.Token(1, id, seq, token, null, null, null, T0.plusMillis(10 * seq)));
      seq++;
    }
    return events;
  }
}
