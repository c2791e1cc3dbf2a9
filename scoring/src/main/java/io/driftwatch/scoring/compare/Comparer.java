package io.driftwatch.scoring.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** Compares two or more runs, the first being the baseline every other is compared with. */
public final class Comparer {

  /**
   * @param resamples bootstrap resamples per interval
   * @param confidence coverage of every interval
   * @param bins histogram bins
   * @param changedRows how many of the most-changed aligned rows to list per run
   * @param seed the bootstrap's seed: the same input gives the same report
   */
  public record Settings(int resamples, double confidence, int bins, int changedRows, long seed) {
    public static final Settings DEFAULTS = new Settings(2000, 0.95, 20, 20, 1);

    public Settings {
      if (resamples < 100) {
        throw new IllegalArgumentException("at least 100 bootstrap resamples, got " + resamples);
      }
      if (!(confidence > 0.5 && confidence < 1)) {
        throw new IllegalArgumentException("the confidence must lie between 0.5 and 1, got " + confidence);
      }
      if (bins < 1 || changedRows < 0) {
        throw new IllegalArgumentException("bins must be positive and changed rows not negative");
      }
    }
  }

  private final Settings settings;

  public Comparer(Settings settings) {
    this.settings = settings;
  }

  public Comparison compare(List<RunScores> runs) {
    if (runs.size() < 2) {
      throw new IllegalArgumentException("a comparison needs two runs or more, got " + runs.size());
    }
    RunScores baseline = runs.get(0);
    Set<String> scores = new TreeSet<>();
    runs.forEach(r -> scores.addAll(r.scoreNames()));
    Map<String, Integer> labels = new LinkedHashMap<>();
    runs.forEach(r -> labels.put(r.label(), r.generations()));

    Map<String, Map<String, Distribution>> distributions = new LinkedHashMap<>();
    Map<String, SharedHistogram> histograms = new LinkedHashMap<>();
    List<Difference> differences = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(settings.seed());
    for (String score : scores) {
      Map<String, double[]> values = new LinkedHashMap<>();
      runs.forEach(r -> values.put(r.label(), r.values(score)));
      Map<String, Distribution> byRun = new LinkedHashMap<>();
      values.forEach((run, v) -> byRun.put(run, Distribution.of(v)));
      distributions.put(score, byRun);
      histograms.put(score, SharedHistogram.of(values, settings.bins()));
      for (RunScores run : runs.subList(1, runs.size())) {
        differences.add(Difference.of(score, baseline.label(), values.get(baseline.label()), run.label(), values.get(run.label()),
            settings.resamples(), settings.confidence(), random.split()));
      }
    }

    Set<String> rules = new TreeSet<>();
    runs.forEach(r -> r.alerted().values().forEach(rules::addAll));
    List<AlertRate> rates = new ArrayList<>();
    List<AlertRateDifference> rateDifferences = new ArrayList<>();
    for (String rule : rules) {
      AlertRate base = AlertRate.of(rule, baseline.label(), baseline.alertedGenerations(rule), baseline.generations(), settings.confidence());
      rates.add(base);
      for (RunScores run : runs.subList(1, runs.size())) {
        AlertRate rate = AlertRate.of(rule, run.label(), run.alertedGenerations(rule), run.generations(), settings.confidence());
        rates.add(rate);
        rateDifferences.add(AlertRateDifference.of(base, rate));
      }
    }

    Map<String, Integer> aligned = new LinkedHashMap<>();
    List<ChangedRow> changed = new ArrayList<>();
    for (RunScores run : runs.subList(1, runs.size())) {
      List<ChangedRow> rows = changedRows(baseline, run, distributions);
      aligned.put(run.label(), rows.size());
      rows.stream().filter(r -> r.change() > 0).sorted(Comparator.comparingDouble(ChangedRow::change).reversed()
          .thenComparing(ChangedRow::row)).limit(settings.changedRows()).forEach(changed::add);
    }
    return new Comparison(labels, settings, distributions, histograms, differences, rates, rateDifferences, aligned, changed);
  }

  /** For each row both runs have, the score that moved most, in baseline standard deviations. */
  private static List<ChangedRow> changedRows(RunScores baseline, RunScores run, Map<String, Map<String, Distribution>> distributions) {
    List<ChangedRow> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> row : run.summaries().entrySet()) {
      Map<String, Double> before = baseline.summaries().get(row.getKey());
      if (before == null) {
        continue;
      }
      ChangedRow most = new ChangedRow(row.getKey(), run.label(), null, Double.NaN, Double.NaN, 0);
      for (Map.Entry<String, Double> score : row.getValue().entrySet()) {
        Double was = before.get(score.getKey());
        double sd = distributions.get(score.getKey()).get(baseline.label()).sd();
        if (was == null || !Double.isFinite(was) || !Double.isFinite(score.getValue()) || !(sd > 0)) {
          continue;
        }
        double change = Math.abs(score.getValue() - was) / sd;
        if (change > most.change()) {
          most = new ChangedRow(row.getKey(), run.label(), score.getKey(), was, score.getValue(), change);
        }
      }
      out.add(most);
    }
    return out;
  }
}
