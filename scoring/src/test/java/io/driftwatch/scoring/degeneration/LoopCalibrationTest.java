package io.driftwatch.scoring.degeneration;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.calibration.Books;
import io.driftwatch.producers.calibration.CalibrationEvents;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.producers.calibration.LegitimateRepetition;
import io.driftwatch.producers.calibration.LoopScenarios;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.engine.Output;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default {@code loop} rule on the calibration corpora, through the real engine (lexical scores,
 * default settings and rules): it must catch the degenerate loops of {@link LoopScenarios} that a
 * brute-force count calls degenerate (at least 30% of the text's word 4-grams said earlier in it),
 * and stay silent on {@link LegitimateRepetition} and on passages of every bundled book. Thresholds are
 * tuned on the texts with holdout=false; the assertions hold on the held-out half (the legitimate
 * corpus on both). Prints the figures docs/scores.md quotes.
 */
class LoopCalibrationTest {

  private static final double DEGENERATE_SHARE = 0.30;
  private static final int PASSAGES_PER_BOOK = 80;
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  private static final ScoringEngine ENGINE = new ScoringEngine(ScoringSettings.DEFAULTS);
  private static final AlertRule LOOP_RULE = ScoringSettings.DEFAULT_RULES.stream().filter(r -> r.name().equals("loop"))
      .findFirst().orElseThrow();

  /** How one text fared: whether the loop rule fired after the change, the value it fired at, the highest reading. */
  record Scored(LabelledText text, double share, boolean fired, double firedAt, double maxRepeats) {}

  private static List<Scored> loops;
  private static List<Scored> legit;
  private static List<Scored> human;

  @BeforeAll
  static void score() {
    long t0 = System.nanoTime();
    loops = LoopScenarios.standard().stream().map(LoopCalibrationTest::score).toList();
    long t1 = System.nanoTime();
    legit = LegitimateRepetition.standard().stream().map(LoopCalibrationTest::score).toList();
    long t2 = System.nanoTime();
    human = humanPassages().stream().map(LoopCalibrationTest::score).toList();
    long t3 = System.nanoTime();
    System.out.printf("scored in %.1f s (loops %.1f s, legitimate %.1f s, human %.1f s)%n", (t3 - t0) / 1e9, (t1 - t0) / 1e9,
        (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    print();
  }

  @Test
  void theLoopRuleCatchesDegenerateLoopsOfTheHeldOutHalf() {
    List<Scored> degenerate = loops.stream().filter(s -> s.text().holdout() && s.share() >= DEGENERATE_SHARE).toList();
    assertThat(degenerate).hasSizeGreaterThan(60);
    assertThat(rate(degenerate, Scored::fired)).as("hit rate on held-out degenerate loops").isGreaterThanOrEqualTo(0.95);
    for (String kind : LoopScenarios.KINDS) {
      List<Scored> ofKind = degenerate.stream().filter(s -> LoopScenarios.kind(s.text()).equals(kind)).toList();
      assertThat(rate(ofKind, Scored::fired)).as("hit rate on held-out %s loops", kind).isGreaterThanOrEqualTo(0.9);
    }
  }

  @Test
  void theLoopRuleNeverFiresOnLegitimateRepetition() {
    assertThat(legit).hasSizeGreaterThanOrEqualTo(120);
    assertThat(legit.stream().filter(Scored::fired).map(s -> s.text().id() + " at " + s.firedAt()).toList()).isEmpty();
  }

  @Test
  void theLoopRuleAlmostNeverFiresOnHumanText() {
    assertThat(human).hasSizeGreaterThanOrEqualTo(1000);
    long fired = human.stream().filter(Scored::fired).count();
    assertThat(fired).as("fires on %d human passages", human.size()).isLessThanOrEqualTo((long) Math.floor(0.002 * human.size()));
  }

  /** The oracle of "degenerate": the share of the text's word 4-grams that occurred earlier in it. */
  static double repeatedFourGrams(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      words.add(m.group());
    }
    if (words.size() < 4) {
      return 0;
    }
    Set<List<String>> seen = new HashSet<>();
    int repeated = 0;
    for (int i = 0; i + 4 <= words.size(); i++) {
      if (!seen.add(words.subList(i, i + 4))) {
        repeated++;
      }
    }
    return (double) repeated / (words.size() - 3);
  }

  @Test
  void theOracleCountsRepeatedFourGrams() {
    assertThat(repeatedFourGrams("a b c d a b c d")).isEqualTo(1.0 / 5);
    assertThat(repeatedFourGrams("one two three four five")).isZero();
    assertThat(repeatedFourGrams("x y z w x y z w x y z w")).isEqualTo(5.0 / 9);
  }

  /**
   * Scores with the states kept as objects, for time; {@link #theStoresRoundTripChangesNoReading} shows
   * that the serialising round trip of offline scoring and the topology gives the same.
   */
  private static Scored score(LabelledText t) {
    return score(t, InMemoryGenerationStore.live());
  }

  /** The loop reading after a decode (the ring is rebuilt from the tokens kept) is the reading before. */
  @Test
  void theStoresRoundTripChangesNoReading() {
    List<LabelledText> sample = new ArrayList<>();
    for (int i = 0; i < loops.size(); i += 16) {
      sample.add(loops.get(i).text());
      sample.add(legit.get(i % legit.size()).text());
    }
    for (LabelledText t : sample) {
      Scored live = score(t);
      Scored stored = score(t, new InMemoryGenerationStore());
      assertThat(stored.maxRepeats()).as(t.id()).isEqualTo(live.maxRepeats());
      assertThat(stored.fired()).as(t.id()).isEqualTo(live.fired());
    }
  }

  private static Scored score(LabelledText t, InMemoryGenerationStore store) {
    List<Output> outputs = new ArrayList<>();
    CalibrationEvents events = CalibrationEvents.of(t, "r", "m");
    long changeToken = Math.max(0, events.changeSeq());
    for (GenerationEvent event : events.events()) {
      outputs.add(ENGINE.process(event, store));
    }
    AlertEvent fire = outputs.stream().flatMap(o -> o.alerts().stream())
        .filter(a -> a.rule().equals(LOOP_RULE.name()) && a.state().equals(AlertEvent.FIRING) && a.lastSeq() >= changeToken)
        .findFirst().orElse(null);
    double max = outputs.stream().flatMap(o -> o.scores().stream()).filter(r -> r.kind().equals(ScoreRecord.SENTENCE))
        .mapToDouble(r -> r.scores().getOrDefault("loop_repeats", 1.0)).max().orElse(1.0);
    return new Scored(t, repeatedFourGrams(t.text()), fire != null, fire == null ? Double.NaN : fire.value(), max);
  }

  /** Passages of 150-500 words, consecutive paragraphs (blank lines between) from all through every bundled book. */
  static List<LabelledText> humanPassages() {
    List<LabelledText> out = new ArrayList<>();
    for (String book : Books.NAMES) {
      List<String> paragraphs = Books.paragraphs(book);
      Random random = new Random(book.hashCode());
      for (int k = 0; k < PASSAGES_PER_BOOK; k++) {
        int target = 150 + random.nextInt(351);
        int p = (int) ((long) k * paragraphs.size() / PASSAGES_PER_BOOK);
        StringBuilder text = new StringBuilder();
        int words = 0;
        for (String paragraph : paragraphs.subList(p, Math.min(paragraphs.size(), p + 20))) {
          text.append(text.isEmpty() ? "" : "\n\n");
          for (String word : paragraph.split(" ")) {
            if (words++ == target) {
              break;
            }
            text.append(text.isEmpty() || text.charAt(text.length() - 1) == '\n' ? "" : " ").append(word);
          }
          if (words >= target) {
            break;
          }
        }
        String id = "steady-" + book + "-" + k;
        out.add(new LabelledText(id, book, "steady", "Continue the text.", text.toString(), -1, Books.holdout(id)));
      }
    }
    return out;
  }

  private static double rate(List<Scored> of, Predicate<Scored> which) {
    return of.isEmpty() ? Double.NaN : (double) of.stream().filter(which).count() / of.size();
  }

  private static void print() {
    System.out.printf("loop rule: %s >= %.2f%n", LOOP_RULE.score(), LOOP_RULE.fireAt());
    System.out.printf("%-26s %-8s %5s %6s %8s %12s %14s%n", "loops (kind/period/end)", "half", "n", ">=30%", "caught", "caught(all)",
        "median at fire");
    Map<String, List<Scored>> groups = new TreeMap<>();
    for (Scored s : loops) {
      String half = s.text().holdout() ? "holdout" : "tuning";
      String key = LoopScenarios.kind(s.text()) + "/" + LoopScenarios.period(s.text()) + "/" + LoopScenarios.ending(s.text());
      groups.computeIfAbsent(key + " " + half, x -> new ArrayList<>()).add(s);
      groups.computeIfAbsent("all " + half, x -> new ArrayList<>()).add(s);
    }
    groups.forEach((key, list) -> {
      List<Scored> degenerate = list.stream().filter(s -> s.share() >= DEGENERATE_SHARE).toList();
      double[] at = list.stream().filter(Scored::fired).mapToDouble(Scored::firedAt).sorted().toArray();
      String[] parts = key.split(" ");
      System.out.printf("%-26s %-8s %5d %6d %8s %12s %14s%n", parts[0], parts[1], list.size(), degenerate.size(),
          percent(rate(degenerate, Scored::fired)), percent(rate(list, Scored::fired)), at.length == 0 ? "-" : String.format("%.2f", at[at.length / 2]));
    });
    for (boolean holdout : new boolean[] {false, true}) {
      String half = holdout ? "holdout" : "tuning";
      List<Scored> l = legit.stream().filter(s -> s.text().holdout() == holdout).toList();
      List<Scored> h = human.stream().filter(s -> s.text().holdout() == holdout).toList();
      System.out.printf("legitimate repetition %-8s fired %d of %d; highest loop_repeats %.2f%n", half, l.stream().filter(Scored::fired).count(),
          l.size(), l.stream().mapToDouble(Scored::maxRepeats).max().orElse(1));
      System.out.printf("human passages        %-8s fired %d of %d; highest loop_repeats %.2f%n", half, h.stream().filter(Scored::fired).count(),
          h.size(), h.stream().mapToDouble(Scored::maxRepeats).max().orElse(1));
    }
    if (Boolean.getBoolean("loops.verbose")) {
      for (double t = 2.0; t <= 3.01; t += 0.1) {
        double threshold = t;
        List<Scored> tuning = loops.stream().filter(s -> !s.text().holdout() && s.share() >= DEGENERATE_SHARE).toList();
        System.out.printf("  at %.1f: tuning degenerate %.1f%%, legit %d, human %d%n", t, 100 * rate(tuning, s -> s.maxRepeats() >= threshold),
            legit.stream().filter(s -> s.maxRepeats() >= threshold).count(), human.stream().filter(s -> s.maxRepeats() >= threshold).count());
      }
      legit.stream().sorted(Comparator.comparingDouble(Scored::maxRepeats).reversed()).limit(8)
          .forEach(s -> System.out.printf("  legit %s %.2f%n", s.text().id(), s.maxRepeats()));
      human.stream().sorted(Comparator.comparingDouble(Scored::maxRepeats).reversed()).limit(8)
          .forEach(s -> System.out.printf("  human %s %.2f%n", s.text().id(), s.maxRepeats()));
      loops.stream().filter(s -> !s.text().holdout() && s.share() >= DEGENERATE_SHARE && !s.fired())
          .forEach(s -> System.out.printf("  missed %s share %.2f max %.2f%n", s.text().id(), s.share(), s.maxRepeats()));
    }
  }

  private static String percent(double rate) {
    return Double.isNaN(rate) ? "-" : String.format("%.1f%%", 100 * rate);
  }
}
