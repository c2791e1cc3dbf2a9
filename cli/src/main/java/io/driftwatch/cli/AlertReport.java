package io.driftwatch.cli;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.Score;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.alert.AlertRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/** The Markdown report of {@code driftwatch bench alerts}: false alarms, hits, localisation and AUROC. */
final class AlertReport {

  /** A score as a detector, read the way it moves when text gets worse ({@link Score#direction()}). */
  record Detector(Score score) {
    Detector {
      if (score.direction() == Score.Direction.NEITHER) {
        throw new IllegalArgumentException(score.wireName() + " has no direction of drift to detect with");
      }
    }

    boolean highMeansDrift() {
      return score.direction() == Score.Direction.HIGHER_IS_WORSE;
    }

    String label() {
      return highMeansDrift() ? score.wireName() : "−" + score.wireName();
    }
  }

  /** The scores whose separation is reported, each read at its most drifted sentence. */
  static final List<Detector> DETECTORS = List.of(
      new Detector(Score.TOPIC_SHIFT),
      new Detector(Score.NEIGHBOUR_SHIFT),
      new Detector(Score.ENTITY_SHIFT),
      new Detector(Score.SEMANTIC_DRIFT_INDEX),
      new Detector(Score.SEMANTIC_GLOBAL_COMMITMENT),
      new Detector(Score.GLOBAL_COMMITMENT),
      new Detector(Score.DRIFT_INDEX),
      new Detector(Score.REFERENTIAL_DRIFT),
      new Detector(Score.COHERENCE_RADIUS),
      new Detector(Score.LOOP_REPEATS),
      new Detector(Score.REPETITION_RATE));

  static final String ANY = "any rule";
  /** Text that repeats by design: no rule should fire on it, so its row counts false alarms. */
  static final String LEGIT = "legit-repetition";

  private AlertReport() {}

  static String render(List<AlertBench.Result> results, List<AlertRule> rules, String half, long seed, int perGenre) {
    StringBuilder md = new StringBuilder();
    List<String> names = new ArrayList<>(AlertBench.ruleNames(rules));
    names.add(ANY);
    Set<String> genres = new LinkedHashSet<>();
    Set<String> scenarios = new LinkedHashSet<>();
    for (AlertBench.Result r : results) {
      if (r.text().scenario().equals("steady")) {
        genres.add(r.text().genre());
      }
      scenarios.add(r.text().scenario());
    }
    scenarios.remove("steady");
    md.append(String.format(Locale.ROOT, "Calibration set: seed %d, %d texts per scenario and genre, half: %s (%d texts).%n%n",
        seed, perGenre, half, results.size()));

    md.append("False alarms: share of steady texts on which the rule fired, per genre (95% Wilson interval)\n\n");
    List<String> columns = new ArrayList<>(genres);
    columns.add("all");
    header(md, "rule", columns);
    for (String rule : names) {
      List<String> cells = new ArrayList<>();
      for (String column : columns) {
        List<AlertBench.Result> steady = select(results, r -> r.text().scenario().equals("steady")
            && (column.equals("all") || r.text().genre().equals(column)));
        cells.add(rate(steady, r -> fired(r, rule, rules)));
      }
      row(md, rule, cells);
    }

    md.append("\nHits: share of altered texts on which the rule fired after the change; for legit-repetition, false alarms: "
        + "the share on which it fired at all (95% Wilson interval)\n\n");
    header(md, "rule", new ArrayList<>(scenarios));
    for (String rule : names) {
      List<String> cells = new ArrayList<>();
      for (String scenario : scenarios) {
        cells.add(rate(select(results, r -> r.text().scenario().equals(scenario)), r -> fired(r, rule, rules)));
      }
      row(md, rule, cells);
    }

    md.append("\nWhere the first alert after a change starts: share of hits whose alert starts within two sentences "
        + "of the changed sentence\n\n");
    List<String> altered = new ArrayList<>(scenarios);
    altered.remove(LEGIT);
    header(md, "scenario", List.of("hits", "within 2 sentences", "median distance (sentences)"));
    for (String scenario : altered) {
      List<Integer> distances = new ArrayList<>();
      for (AlertBench.Result r : select(results, x -> x.text().scenario().equals(scenario))) {
        AlertEvent first = firstFiring(r, rules);
        int change = r.sentenceOf(r.changeSeq());
        int start = first == null ? -1 : r.sentenceOf(first.firstSeq());
        if (first != null && change >= 0 && start >= 0) {
          distances.add(Math.abs(start - change));
        }
      }
      long near = distances.stream().filter(d -> d <= 2).count();
      int[] sorted = distances.stream().mapToInt(Integer::intValue).sorted().toArray();
      row(md, scenario, List.of(String.valueOf(distances.size()), distances.isEmpty() ? "–" : wilson(near, distances.size()),
          sorted.length == 0 ? "–" : String.valueOf(sorted[sorted.length / 2])));
    }

    md.append("\nAUROC of each score, read at each text's most drifted sentence, altered against steady texts\n\n");
    header(md, "score", altered);
    for (Detector d : DETECTORS) {
      List<String> cells = new ArrayList<>();
      for (String scenario : altered) {
        double[] alteredValues = values(select(results, r -> r.text().scenario().equals(scenario)), d);
        double[] steady = values(select(results, r -> r.text().scenario().equals("steady")), d);
        cells.add(alteredValues.length == 0 || steady.length == 0 ? "–" : String.format(Locale.ROOT, "%.3f", auroc(alteredValues, steady)));
      }
      row(md, d.label(), cells);
    }
    return md.toString();
  }

  private static boolean fired(AlertBench.Result r, String rule, List<AlertRule> rules) {
    if (rule.equals(ANY)) {
      return firstFiring(r, rules) != null;
    }
    return r.firing(rule) != null;
  }

  private static AlertEvent firstFiring(AlertBench.Result r, List<AlertRule> rules) {
    AlertEvent first = null;
    for (AlertRule rule : rules) {
      AlertEvent a = r.firing(rule.name());
      if (a != null && (first == null || a.lastSeq() < first.lastSeq())) {
        first = a;
      }
    }
    return first;
  }

  /** Per text, the score at its most drifted sentence; texts where it is never defined count as not drifted at all. */
  static double[] values(List<AlertBench.Result> results, Detector d) {
    double[] out = new double[results.size()];
    int i = 0;
    for (AlertBench.Result r : results) {
      double best = Double.NEGATIVE_INFINITY;
      for (ScoreRecord s : r.sentences()) {
        Double v = s.scores().get(d.score().wireName());
        if (v != null) {
          best = Math.max(best, d.highMeansDrift() ? v : -v);
        }
      }
      out[i++] = best;
    }
    return out;
  }

  /** The probability that an altered text scores above a steady one, ties counting half (Mann–Whitney). */
  static double auroc(double[] altered, double[] steady) {
    double[] s = steady.clone();
    Arrays.sort(s);
    double sum = 0;
    for (double a : altered) {
      int below = lowerBound(s, a);
      int notAbove = upperBound(s, a);
      sum += below + 0.5 * (notAbove - below);
    }
    return sum / ((double) altered.length * steady.length);
  }

  private static int lowerBound(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int upperBound(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static String rate(List<AlertBench.Result> texts, Predicate<AlertBench.Result> hit) {
    if (texts.isEmpty()) {
      return "–";
    }
    return wilson(texts.stream().filter(hit).count(), texts.size());
  }

  /** "k/n = p% (lo–hi%)" with the 95% Wilson score interval. */
  static String wilson(long k, long n) {
    double[] ci = wilsonInterval(k, n);
    return String.format(Locale.ROOT, "%d/%d = %.1f%% (%.1f–%.1f)", k, n, 100.0 * k / n, 100 * ci[0], 100 * ci[1]);
  }

  static double[] wilsonInterval(long k, long n) {
    double z = 1.959964;
    double p = (double) k / n;
    double denominator = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  private static List<AlertBench.Result> select(List<AlertBench.Result> results, Predicate<AlertBench.Result> which) {
    return results.stream().filter(which).toList();
  }

  private static void header(StringBuilder md, String first, List<String> columns) {
    md.append("| ").append(first).append(" | ").append(String.join(" | ", columns)).append(" |\n");
    md.append("|---").append("|---".repeat(columns.size())).append("|\n");
  }

  private static void row(StringBuilder md, String first, List<String> cells) {
    md.append("| ").append(first).append(" | ").append(String.join(" | ", cells)).append(" |\n");
  }
}
