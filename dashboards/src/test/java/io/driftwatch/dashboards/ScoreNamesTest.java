package io.driftwatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.Score;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.alert.AlertRules;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score names outside the code agree with {@link Score}: the alert rules the dashboards, the
 * Prometheus rules and their tests chart are rules on known scores, the default rules and the rules docs/scores.md gives
 * watch known scores, and docs/scores.md names every score.
 */
class ScoreNamesTest {

  private static final Path SCORES_DOC = Path.of("..", "docs", "scores.md");
  /** A PromQL matcher on the rule or score label, in a JSON string (quotes escaped) or in YAML. */
  private static final Pattern LABEL_MATCHER = Pattern.compile("\\b(rule|score)\\s*=~?\\s*\\\\?\"([^\"\\\\]*)\\\\?\"");
  /** A label of an expected alert in the promtool tests: {@code rule: loop}. */
  private static final Pattern EXPECTED_LABEL = Pattern.compile("(?m)^\\s*(rule|score):\\s*([a-z0-9_]+)\\s*$");
  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theDefaultRulesWatchKnownScores() {
    assertThat(ScoringSettings.DEFAULT_RULES).isNotEmpty()
        .allSatisfy(rule -> assertThat(Score.isKnown(rule.score())).as(rule.name() + " watches " + rule.score()).isTrue());
  }

  @Test
  void theRulesDocsScoresGivesAreValidRulesOnKnownScores(@TempDir Path dir) throws IOException {
    Map<String, AlertRule> documented = documentedRules(dir);
    assertThat(documented).as("rules in docs/scores.md's json blocks").isNotEmpty();
    documented.values().forEach(rule -> assertThat(Score.isKnown(rule.score())).as(rule.name() + " watches " + rule.score()).isTrue());
    for (AlertRule rule : ScoringSettings.DEFAULT_RULES) {
      assertThat(documented.get(rule.name())).as("docs/scores.md gives the default rule " + rule.name()).isEqualTo(rule);
    }
  }

  @Test
  void everyRuleAndScoreTheDashboardsAndPrometheusRulesQueryIsKnown(@TempDir Path dir) throws IOException {
    Map<String, AlertRule> rules = documentedRules(dir);
    ScoringSettings.DEFAULT_RULES.forEach(rule -> rules.put(rule.name(), rule));
    Set<String> ruleNames = new TreeSet<>(rules.keySet());
    ruleNames.add(ScoringEngine.VERBATIM_RULE);

    Set<String> queriedRules = new TreeSet<>();
    Set<String> queriedScores = new TreeSet<>();
    for (Path file : queryFiles()) {
      String text = Files.readString(file);
      for (Pattern pattern : List.of(LABEL_MATCHER, EXPECTED_LABEL)) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
          for (String value : m.group(2).split("\\|")) {
            (m.group(1).equals("rule") ? queriedRules : queriedScores).add(value);
          }
        }
      }
    }
    assertThat(queriedRules).as("the dashboards chart alerts by rule").isNotEmpty();
    assertThat(ruleNames).as("rules known to the defaults, the engine or docs/scores.md").containsAll(queriedRules);
    // The score label is the baselines': only alertable scores have one.
    assertThat(queriedScores).as("the baseline panels and tests name scores").isNotEmpty()
        .allSatisfy(score -> assertThat(Score.byWireName(score).filter(Score::isAlertable)).as(score).isPresent());
  }

  @Test
  void theScoreDocsNameEveryScore() throws IOException {
    String doc = Files.readString(SCORES_DOC);
    List<String> missing = new ArrayList<>();
    for (Score score : Score.values()) {
      if (!doc.contains("`" + score.wireName() + "`")) {
        missing.add(score.wireName());
      }
    }
    assertThat(missing).as("scores docs/scores.md does not name in `backticks`").isEmpty();
  }

  @Test
  void theScoreDocsTableListsTheScoresOfTheEngine() throws IOException {
    String doc = Files.readString(SCORES_DOC);
    int start = doc.indexOf("\n## The scores\n");
    assertThat(start).as("docs/scores.md has a section \"The scores\"").isNotNegative();
    int end = doc.indexOf("\n#", start + 1);
    Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|").matcher(doc.substring(start, end < 0 ? doc.length() : end));
    Set<String> tabled = new TreeSet<>();
    while (row.find()) {
      tabled.add(row.group(1));
    }
    assertThat(tabled).isNotEmpty().allSatisfy(name -> assertThat(Score.byWireName(name)).as(name).isPresent());
  }

  /** The rules in docs/scores.md's json blocks, read as a rules file is. */
  private static Map<String, AlertRule> documentedRules(Path dir) throws IOException {
    Map<String, AlertRule> rules = new LinkedHashMap<>();
    Matcher block = JSON_BLOCK.matcher(Files.readString(SCORES_DOC));
    int i = 0;
    while (block.find()) {
      String json = block.group(1).strip();
      if (json.startsWith("[") && json.contains("\"fire_at\"")) {
        Path file = Files.writeString(dir.resolve("rules-" + i++ + ".json"), json);
        AlertRules.load(file).forEach(rule -> rules.put(rule.name(), rule));
      }
    }
    return rules;
  }

  /** The dashboards, the Prometheus rules and their promtool tests. */
  private static List<Path> queryFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String folder : List.of("grafana/dashboards", "prometheus/rules", "prometheus/tests")) {
      try (Stream<Path> all = Files.walk(Path.of(folder))) {
        all.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    return files;
  }
}
