package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.embeddings.EmbeddingModel;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.producers.calibration.CalibrationEvents;
import io.driftwatch.producers.calibration.CalibrationSet;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.scoring.offline.OfflineScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CI's sample of the calibration benchmark ({@code driftwatch bench alerts}, docs/scores.md): real text
 * of every genre from the held-out half, scored with the bundled model and the default rules. The
 * bounds sit a little under what the full benchmark measures, so that a change that weakens the
 * detectors or makes the rules noisy fails the build. The figures themselves live in docs/scores.md.
 */
class RealTextAlertsTest {

  private static final List<LabelledText> SAMPLE = CalibrationSet.build(2026, 16).stream().filter(LabelledText::holdout).toList();
  private static final Map<String, Set<String>> FIRED = new HashMap<>();
  private static final Map<String, Map<String, Double>> PEAK = new HashMap<>();
  private static SentenceEmbedder embedder;

  @BeforeAll
  static void score() {
    embedder = SentenceEmbedder.open(EmbeddingModel.bundled());
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true);
    Map<String, Long> changes = new HashMap<>();
    OfflineScorer scorer = new OfflineScorer(engine, new EmbeddingBatch(engine, embedder::embed, 64), "sample", new OfflineScorer.Sink() {
      @Override
      public void score(byte[] json) {
        ScoreRecord r = read(json, ScoreRecord.class);
        Map<String, Double> peak = PEAK.computeIfAbsent(r.generationId(), k -> new HashMap<>());
        r.scores().forEach((name, value) -> peak.merge(name, value, Math::max));
      }

      @Override
      public void alert(byte[] json) {
        AlertEvent a = read(json, AlertEvent.class);
        long change = changes.get(a.generationId());
        if (a.state().equals(AlertEvent.FIRING) && a.lastSeq() >= change) {
          FIRED.computeIfAbsent(a.generationId(), k -> new HashSet<>()).add(a.rule());
        }
      }

      @Override
      public void deadLetter(byte[] json) {
        throw new AssertionError(new String(json));
      }
    });
    long line = 0;
    for (LabelledText text : SAMPLE) {
      CalibrationEvents events = CalibrationEvents.of(text, "sample", "human-text");
      changes.put(text.id(), events.changeSeq());
      for (GenerationEvent e : events.events()) {
        scorer.accept(EventCodec.encode(e), ++line);
      }
    }
    scorer.finish();
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void theDefaultRulesRarelyFireOnSteadyRealText() {
    List<LabelledText> steady = of(CalibrationSet.STEADY);
    long fired = steady.stream().filter(t -> FIRED.containsKey(t.id())).count();
    assertThat(steady).hasSizeGreaterThan(50);
    assertThat((double) fired / steady.size()).as("share of steady texts with any alert").isLessThanOrEqualTo(0.03);
  }

  @Test
  void theDefaultRulesCatchSomeSplicesAndNameSwaps() {
    List<LabelledText> altered = new ArrayList<>(of(CalibrationSet.SPLICE));
    altered.addAll(of(CalibrationSet.NAME_SWAP));
    long caught = altered.stream().filter(t -> FIRED.containsKey(t.id())).count();
    System.out.printf("RealTextAlertsTest: default rules caught %d of %d splices and name swaps%n", caught, altered.size());
    assertThat((double) caught / altered.size()).as("share of splices and name swaps with an alert after the change").isGreaterThanOrEqualTo(0.12);
  }

  @Test
  void theTopicShiftRanksSplicesAboveSteadyText() {
    assertThat(auroc(of(CalibrationSet.SPLICE), "topic_shift")).isGreaterThanOrEqualTo(0.65);
  }

  @Test
  void theNeighbourShiftRanksSplicesAboveSteadyText() {
    assertThat(auroc(of(CalibrationSet.SPLICE), "neighbour_shift")).isGreaterThanOrEqualTo(0.7);
  }

  @Test
  void theEntityShiftRanksNameSwapsAboveSteadyText() {
    assertThat(auroc(of(CalibrationSet.NAME_SWAP), "entity_shift")).isGreaterThanOrEqualTo(0.8);
  }

  private static List<LabelledText> of(String scenario) {
    return SAMPLE.stream().filter(t -> t.scenario().equals(scenario)).toList();
  }

  /** Each text read at its highest value of the score (never defined: below everything). */
  private static double auroc(List<LabelledText> altered, String score) {
    List<LabelledText> steady = of(CalibrationSet.STEADY);
    double wins = 0;
    for (LabelledText a : altered) {
      for (LabelledText s : steady) {
        double x = PEAK.get(a.id()).getOrDefault(score, Double.NEGATIVE_INFINITY);
        double y = PEAK.get(s.id()).getOrDefault(score, Double.NEGATIVE_INFINITY);
        wins += x > y ? 1 : x == y ? 0.5 : 0;
      }
    }
    double value = wins / ((double) altered.size() * steady.size());
    System.out.printf("RealTextAlertsTest: %s AUROC %.3f (%d altered, %d steady)%n", score, value, altered.size(), steady.size());
    return value;
  }

  private static <T> T read(byte[] json, Class<T> type) {
    try {
      return EventCodec.fromJson(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
