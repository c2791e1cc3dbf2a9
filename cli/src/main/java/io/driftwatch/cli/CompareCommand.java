package io.driftwatch.cli;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.compare.Comparer;
import io.driftwatch.scoring.compare.Comparison;
import io.driftwatch.scoring.compare.Difference;
import io.driftwatch.scoring.compare.RunScores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code driftwatch compare}: two or more runs side by side, from score files or from the scores topic. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Compare two or more runs: did one drift more than another? The first run is the baseline.",
      "Runs come from files that score writes (score records, and alert events from its --alerts file; JSON lines, "
          + ".gz allowed; folders read recursively), one run per run id; or, with --bootstrap, from the scores and alerts "
          + "topics, one run per --run-id.",
      "Per score: each run's quantiles and histogram; the difference of means from the baseline with a bootstrap "
          + "interval, Cliff's delta and a Mann-Whitney rank test. Per alert rule: the share of generations alerted, with "
          + "Wilson intervals and Fisher's exact test. Where runs share rows (replays or scores of the same archive), the "
          + "rows that changed most. A summary goes to standard output; --html writes a report that opens without a "
          + "network, --csv and --json the numbers for notebooks.",
      ""
    })
final class CompareCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "FILE", description = "Score files (and alert files) of the runs, or folders of them.")
  List<String> files = new ArrayList<>();

  @Option(names = "--run-id", paramLabel = "ID",
      description = "A run to compare, in order, the first being the baseline: with --bootstrap, read from the topics; with files, "
          + "picks runs from them (default: every run in the files, in the order found).")
  List<String> runIds = new ArrayList<>();

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Read the runs from this Kafka cluster's scores topic.")
  String bootstrap;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--by-file", description = "One run per file, named by the file, whatever its run ids (files scored with one --run-id).")
  boolean byFile;

  @Option(names = "--html", paramLabel = "FILE", description = "Write the report here, one HTML file with its plots.")
  Path html;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write every number here, one a row (section,name,run,statistic,value).")
  Path csv;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the comparison here as JSON.")
  Path json;

  @Option(names = "--confidence", paramLabel = "LEVEL", defaultValue = "0.95",
      description = "Coverage of every interval (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(names = "--resamples", paramLabel = "N", defaultValue = "2000", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
  int resamples;

  @Option(names = "--bins", paramLabel = "N", defaultValue = "20", description = "Histogram bins (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "20",
      description = "Most-changed rows listed per run (default: ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the bootstrap (default: ${DEFAULT-VALUE}).")
  long seed;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws IOException {
    Comparer.Settings settings;
    try {
      settings = new Comparer.Settings(resamples, confidence, bins, rows, seed);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage());
    }
    OutputFiles.checkWritable("--html", html);
    OutputFiles.checkWritable("--csv", csv);
    OutputFiles.checkWritable("--json", json);
    List<RunScores> runs = bootstrap != null ? fromTopic() : fromFiles();
    Comparison comparison = new Comparer(settings).compare(runs);
    summary(comparison);
    if (html != null) {
      Files.writeString(html, CompareHtml.render(comparison), StandardCharsets.UTF_8);
      System.err.println("wrote the report to " + html);
    }
    if (csv != null) {
      Files.writeString(csv, CompareCsv.of(comparison), StandardCharsets.UTF_8);
    }
    if (json != null) {
      Files.write(json, EventCodec.toJson(comparison));
    }
    return 0;
  }

  private List<RunScores> fromTopic() {
    if (!files.isEmpty()) {
      throw new UserFacingException("give files or --bootstrap, not both");
    }
    if (runIds.size() < 2) {
      throw new UserFacingException("--bootstrap needs two --run-id or more: the baseline first");
    }
    return ScoresTopic.read(bootstrap, Topics.withPrefix(topicPrefix), runIds);
  }

  private List<RunScores> fromFiles() {
    if (files.isEmpty()) {
      throw new UserFacingException("give score files of two runs or more, or --bootstrap and --run-id");
    }
    List<RunScores> all = ScoreFiles.read(ArchiveInputs.resolve(files, "*"), byFile);
    if (runIds.isEmpty()) {
      return all;
    }
    List<RunScores> chosen = new ArrayList<>();
    for (String id : runIds) {
      chosen.add(all.stream().filter(r -> r.label().equals(id)).findFirst().orElseThrow(() -> new UserFacingException(
          "run '" + id + "' is not in the files; they hold " + String.join(", ", all.stream().map(RunScores::label).toList()))));
    }
    if (chosen.size() < 2) {
      throw new UserFacingException("compare needs two runs or more; --run-id chose " + chosen.size());
    }
    return chosen;
  }

  /** Below this many generations a percentile bootstrap interval is too narrow to trust. */
  static final int FEW = 20;
  static final String FEW_WARNING = "A run has fewer than " + FEW + " generations: its intervals are rough; trust the rank test more.";

  static boolean fewGenerations(Comparison c) {
    return c.runs().values().stream().anyMatch(n -> n < FEW);
  }

  private void summary(Comparison c) {
    if (fewGenerations(c)) {
      out.println(FEW_WARNING);
    }
    out.printf(Locale.ROOT, "baseline %s (%d generations)", c.baseline(), c.runs().get(c.baseline()));
    c.runs().entrySet().stream().skip(1).forEach(e -> out.printf(Locale.ROOT, "; %s (%d)", e.getKey(), e.getValue()));
    out.printf(Locale.ROOT, "%n%-28s %-16s %10s %24s %8s %9s%n", "score", "run", "difference", pct(c.settings().confidence()) + " interval",
        "delta", "rank p");
    for (Difference d : c.differences()) {
      out.printf(Locale.ROOT, "%-28s %-16s %10s %24s %8s %9s %s%n", d.score(), d.run(), CompareHtml.fmt(d.meanDifference()),
          "[" + CompareHtml.fmt(d.low()) + ", " + CompareHtml.fmt(d.high()) + "]", CompareHtml.fmt(d.cliffsDelta()),
          CompareHtml.fmt(d.rankTestP()), d.flagged() ? "differs" : "");
    }
    c.alertRates().forEach(r -> out.printf(Locale.ROOT, "alert %-22s %-16s %d/%d = %s [%s, %s]%n", r.rule(), r.run(), r.alerted(),
        r.generations(), pct(r.rate()), pct(r.low()), pct(r.high())));
    if (!c.changedRows().isEmpty()) {
      out.printf(Locale.ROOT, "rows that changed most (aligned: %s):%n", c.alignedRows());
      c.changedRows().stream().limit(10).forEach(r -> out.printf(Locale.ROOT, "  %-40s %-16s %s %s -> %s (%.1f SD)%n", r.row(), r.run(),
          r.score(), CompareHtml.fmt(r.baselineValue()), CompareHtml.fmt(r.value()), r.change()));
    }
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", v * 100) : "–";
  }
}
