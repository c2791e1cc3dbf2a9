package io.driftwatch.cli;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.scoring.compare.AlertRate;
import io.driftwatch.scoring.compare.AlertRateDifference;
import io.driftwatch.scoring.compare.ChangedRow;
import io.driftwatch.scoring.compare.Comparison;
import io.driftwatch.scoring.compare.Difference;
import io.driftwatch.scoring.compare.Distribution;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A comparison as one HTML file that opens without a network: tables rendered here, histograms drawn by
 * uPlot (the web view's chart library, from its pinned WebJar) inlined with the data. Run ids, rules and
 * rows come from archives and producers, so every one is escaped: as HTML in the tables, and as JSON
 * that cannot close its script element in the data.
 */
final class CompareHtml {

  private static final String OWN = "/io/driftwatch/cli/compare/";

  private CompareHtml() {}

  static String render(Comparison c) {
    String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    StringBuilder h = new StringBuilder(256 * 1024);
    String title = "Driftwatch compare: " + String.join(" vs ", c.runs().keySet());
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n");
    h.append("<style>\n").append(resource(uplot + "uPlot.min.css")).append('\n').append(resource(OWN + "report.css")).append("</style>\n");
    h.append("</head>\n<body>\n<h1>").append(esc(title)).append("</h1>\n<p class=\"meta\">Baseline <b>").append(esc(c.baseline()))
        .append("</b>. Generations: ");
    StringBuilder counts = new StringBuilder();
    c.runs().forEach((run, n) -> counts.append(counts.length() == 0 ? "" : ", ").append(esc(run)).append(" ").append(n));
    h.append(counts).append(". Intervals: ").append(pct(c.settings().confidence())).append(", ").append(c.settings().resamples())
        .append(" bootstrap resamples (seed ").append(c.settings().seed()).append("). A difference is flagged when its interval "
        + "excludes 0; with many scores, expect about ").append(pct(1 - c.settings().confidence()))
        .append(" of them flagged by chance alone.").append(CompareCommand.fewGenerations(c) ? " <b>" + esc(CompareCommand.FEW_WARNING)
            + "</b>" : "").append("</p>\n");

    h.append("<h2>Differences from the baseline</h2>\n<table id=\"differences\"><thead><tr><th>score</th><th>run</th>"
        + "<th class=\"num\">baseline mean</th><th class=\"num\">run mean</th><th class=\"num\">difference</th>"
        + "<th class=\"num\">interval</th><th class=\"num\">Cliff's δ</th><th class=\"num\">rank test p</th><th></th></tr></thead><tbody>\n");
    for (Difference d : c.differences()) {
      Distribution base = c.distributions().get(d.score()).get(d.baseline());
      Distribution run = c.distributions().get(d.score()).get(d.run());
      h.append(d.flagged() ? "<tr class=\"flagged\">" : "<tr>").append(td(d.score())).append(td(d.run())).append(num(base.mean()))
          .append(num(run.mean())).append(num(d.meanDifference())).append("<td class=\"num\">[").append(fmt(d.low())).append(", ")
          .append(fmt(d.high())).append("]</td>").append(num(d.cliffsDelta())).append(num(d.rankTestP()))
          .append(d.flagged() ? "<td class=\"flag\">differs</td>" : "<td></td>").append("</tr>\n");
    }
    h.append("</tbody></table>\n");

    h.append("<h2>Alert rates</h2>\n");
    if (c.alertRates().isEmpty()) {
      h.append("<p>No alert fired in any run (or no alert events were given: score writes them with --alerts).</p>\n");
    } else {
      h.append("<table id=\"alerts\"><thead><tr><th>rule</th><th>run</th><th class=\"num\">alerted</th><th class=\"num\">rate</th>"
          + "<th class=\"num\">interval (Wilson)</th><th class=\"num\">vs baseline, Fisher p</th></tr></thead><tbody>\n");
      for (AlertRate r : c.alertRates()) {
        AlertRateDifference diff = c.alertDifferences().stream().filter(x -> x.rule().equals(r.rule()) && x.run().equals(r.run()))
            .findFirst().orElse(null);
        h.append("<tr>").append(td(r.rule())).append(td(r.run())).append("<td class=\"num\">").append(r.alerted()).append(" / ")
            .append(r.generations()).append("</td>").append("<td class=\"num\">").append(pct(r.rate())).append("</td><td class=\"num\">[")
            .append(pct(r.low())).append(", ").append(pct(r.high())).append("]</td>")
            .append(diff == null ? "<td></td>" : num(diff.p())).append("</tr>\n");
      }
      h.append("</tbody></table>\n");
    }

    h.append("<h2>Scores</h2>\n<div class=\"scores\">\n");
    for (Map.Entry<String, Map<String, Distribution>> score : c.distributions().entrySet()) {
      h.append("<section class=\"score\"><h3>").append(esc(score.getKey())).append("</h3>\n<table><thead><tr><th>run</th>");
      for (String q : new String[] {"n", "mean", "sd", "p5", "p25", "median", "p75", "p95"}) {
        h.append("<th class=\"num\">").append(q).append("</th>");
      }
      h.append("</tr></thead><tbody>\n");
      for (Map.Entry<String, Distribution> run : score.getValue().entrySet()) {
        Distribution d = run.getValue();
        h.append("<tr>").append(td(run.getKey())).append("<td class=\"num\">").append(d.n()).append("</td>").append(num(d.mean()))
            .append(num(d.sd())).append(num(d.p05())).append(num(d.p25())).append(num(d.p50())).append(num(d.p75())).append(num(d.p95()))
            .append("</tr>\n");
      }
      h.append("</tbody></table>\n<div class=\"plot\" data-score=\"").append(esc(score.getKey())).append("\"></div></section>\n");
    }
    h.append("</div>\n");

    h.append("<h2>Rows that changed most</h2>\n");
    if (c.changedRows().isEmpty()) {
      h.append("<p>No row is in both the baseline and another run: the runs come from different archives "
          + "(rows line up when both were replayed or scored from the same files).</p>\n");
    } else {
      h.append("<p>Rows in both runs (").append(esc(c.alignedRows().toString())).append(" aligned), by the score that moved most, in "
          + "standard deviations of that score in the baseline.</p>\n<table id=\"changed\"><thead><tr><th>row</th><th>run</th>"
          + "<th>score</th><th class=\"num\">baseline</th><th class=\"num\">run</th><th class=\"num\">change (SD)</th></tr></thead><tbody>\n");
      for (ChangedRow r : c.changedRows()) {
        h.append("<tr>").append(td(r.row())).append(td(r.run())).append(td(r.score())).append(num(r.baselineValue())).append(num(r.value()))
            .append(num(r.change())).append("</tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    h.append("<p class=\"meta\">Charts: uPlot ").append(esc(uplotVersion())).append(" (MIT licence), inlined.</p>\n");
    h.append("<script>\n").append(resource(uplot + "uPlot.iife.min.js")).append("\n</script>\n");
    h.append("<script type=\"application/json\" id=\"report-data\">").append(scriptSafeJson(c)).append("</script>\n");
    h.append("<script>\n").append(resource(OWN + "report.js")).append("</script>\n</body></html>\n");
    return h.toString();
  }

  /**
   * The comparison as JSON that no string in it can end the script element early with; with the runs in
   * their order (the codec sorts map keys, and the baseline must come first).
   */
  static String scriptSafeJson(Comparison c) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("run_order", java.util.List.copyOf(c.runs().keySet()));
    data.put("comparison", c);
    return new String(EventCodec.toJson(data), StandardCharsets.UTF_8).replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }

  private static String td(String text) {
    return "<td>" + esc(text) + "</td>";
  }

  private static String num(double v) {
    return "<td class=\"num\">" + fmt(v) + "</td>";
  }

  static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    double a = Math.abs(v);
    return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.2e", v) : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", v * 100) : "–";
  }

  private static String resource(String path) {
    try (InputStream in = CompareHtml.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The uPlot version of the WebJar on the class path (pinned in the parent pom). */
  static String uplotVersion() {
    try (InputStream in = CompareHtml.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the uPlot WebJar is missing from the class path", e);
    }
  }
}
