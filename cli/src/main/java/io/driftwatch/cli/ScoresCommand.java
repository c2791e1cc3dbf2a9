package io.driftwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.Score;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code driftwatch scores}: the scores a score record can carry, from {@link Score}. */
@Command(name = "scores", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"List the scores a score record can carry: family, which way is worse, range, unit and what each means "
        + "(docs/scores.md says how each is computed).", ""})
final class ScoresCommand implements Callable<Integer> {

  enum Format { TABLE, JSON }

  @Option(names = "--format", defaultValue = "table", description = "table (default) or json (one object per score)")
  Format format;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    out.print(format == Format.JSON ? json() : table());
    out.flush();
    return 0;
  }

  static String table() {
    StringBuilder s = new StringBuilder();
    String row = "%-28s %-11s %-7s %-11s %-10s %s%n";
    s.append(String.format(Locale.ROOT, row, "score", "family", "worse", "range", "unit", "meaning"));
    for (Score score : Score.values()) {
      s.append(String.format(Locale.ROOT, row, score.wireName() + (score.isAlertable() ? " *" : ""), lower(score.family()),
          worse(score.direction()), range(score), score.unit().isEmpty() ? "-" : score.unit(), score.help()));
    }
    s.append(String.format(Locale.ROOT, "%n* alertable: each model has a baseline of it; summaries carry %s<score>, and records "
        + "carry <score>%s and %s<score>%s once the baseline is ready.%n", Score.MAX_PREFIX, Score.PERCENTILE_SUFFIX,
        Score.MAX_PREFIX, Score.PERCENTILE_SUFFIX));
    return s.toString();
  }

  static String json() throws JsonProcessingException {
    List<Map<String, Object>> rows = java.util.Arrays.stream(Score.values()).map(score -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", score.wireName());
      row.put("family", lower(score.family()));
      row.put("direction", lower(score.direction()));
      // JSON has no infinities: an open end of the range is left out.
      row.put("min", Double.isInfinite(score.min()) ? null : score.min());
      row.put("max", Double.isInfinite(score.max()) ? null : score.max());
      row.put("unit", score.unit());
      row.put("alertable", score.isAlertable());
      row.put("help", score.help());
      return row;
    }).toList();
    return EventCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows) + System.lineSeparator();
  }

  private static String worse(Score.Direction direction) {
    return switch (direction) {
      case HIGHER_IS_WORSE -> "higher";
      case LOWER_IS_WORSE -> "lower";
      case NEITHER -> "-";
    };
  }

  static String range(Score score) {
    boolean low = Double.isFinite(score.min());
    boolean high = Double.isFinite(score.max());
    if (low && high) {
      return number(score.min()) + " to " + number(score.max());
    }
    if (low) {
      return ">= " + number(score.min());
    }
    return high ? "<= " + number(score.max()) : "any";
  }

  private static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
