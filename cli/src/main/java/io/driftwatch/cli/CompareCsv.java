package io.driftwatch.cli;

import io.driftwatch.scoring.compare.AlertRate;
import io.driftwatch.scoring.compare.AlertRateDifference;
import io.driftwatch.scoring.compare.ChangedRow;
import io.driftwatch.scoring.compare.Comparison;
import io.driftwatch.scoring.compare.Difference;
import io.driftwatch.scoring.compare.Distribution;
import java.util.Locale;
import java.util.Map;

/**
 * A comparison as one long CSV table for notebooks: {@code section,name,run,statistic,value}, one number
 * a row, so that a pivot gives any wide table. Text cells are quoted, and those a spreadsheet would take for
 * a formula are prefixed with an apostrophe: run ids and rows come from whoever produced the archive.
 */
final class CompareCsv {

  private final StringBuilder out = new StringBuilder("section,name,run,statistic,value\n");

  private CompareCsv() {}

  static String of(Comparison c) {
    CompareCsv csv = new CompareCsv();
    c.runs().forEach((run, n) -> csv.row("run", run, run, "generations", n));
    for (Map.Entry<String, Map<String, Distribution>> score : c.distributions().entrySet()) {
      for (Map.Entry<String, Distribution> run : score.getValue().entrySet()) {
        Distribution d = run.getValue();
        String name = score.getKey();
        csv.row("distribution", name, run.getKey(), "n", d.n());
        csv.row("distribution", name, run.getKey(), "mean", d.mean());
        csv.row("distribution", name, run.getKey(), "sd", d.sd());
        csv.row("distribution", name, run.getKey(), "min", d.min());
        csv.row("distribution", name, run.getKey(), "p05", d.p05());
        csv.row("distribution", name, run.getKey(), "p25", d.p25());
        csv.row("distribution", name, run.getKey(), "p50", d.p50());
        csv.row("distribution", name, run.getKey(), "p75", d.p75());
        csv.row("distribution", name, run.getKey(), "p95", d.p95());
        csv.row("distribution", name, run.getKey(), "max", d.max());
      }
    }
    for (Difference d : c.differences()) {
      csv.row("difference", d.score(), d.run(), "mean_difference", d.meanDifference());
      csv.row("difference", d.score(), d.run(), "ci_low", d.low());
      csv.row("difference", d.score(), d.run(), "ci_high", d.high());
      csv.row("difference", d.score(), d.run(), "cliffs_delta", d.cliffsDelta());
      csv.row("difference", d.score(), d.run(), "rank_test_p", d.rankTestP());
      csv.row("difference", d.score(), d.run(), "flagged", d.flagged() ? 1 : 0);
    }
    for (AlertRate r : c.alertRates()) {
      csv.row("alert_rate", r.rule(), r.run(), "alerted", r.alerted());
      csv.row("alert_rate", r.rule(), r.run(), "rate", r.rate());
      csv.row("alert_rate", r.rule(), r.run(), "ci_low", r.low());
      csv.row("alert_rate", r.rule(), r.run(), "ci_high", r.high());
    }
    for (AlertRateDifference r : c.alertDifferences()) {
      csv.row("alert_difference", r.rule(), r.run(), "rate_difference", r.rateDifference());
      csv.row("alert_difference", r.rule(), r.run(), "fisher_p", r.p());
    }
    for (ChangedRow r : c.changedRows()) {
      csv.row("changed_row", r.row(), r.run(), r.score() + ":baseline", r.baselineValue());
      csv.row("changed_row", r.row(), r.run(), r.score() + ":run", r.value());
      csv.row("changed_row", r.row(), r.run(), r.score() + ":change_sd", r.change());
    }
    return csv.out.toString();
  }

  private void row(String section, String name, String run, String statistic, double value) {
    out.append(section).append(',').append(text(name)).append(',').append(text(run)).append(',').append(text(statistic)).append(',')
        .append(Double.isFinite(value) ? number(value) : "").append('\n');
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
  }

  static String text(String s) {
    String safe = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    return "\"" + safe.replace("\"", "\"\"") + "\"";
  }
}
