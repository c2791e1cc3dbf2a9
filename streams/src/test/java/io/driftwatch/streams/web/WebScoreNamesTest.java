package io.driftwatch.streams.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.Score;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.streams.view.GenerationView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web view's pages name only scores that exist. A snake_case name in a page is a field of what the
 * API serves, a score ({@link Score#isKnown}), an alert rule, a score record's flag, or one of the few other words listed here;
 * anything else is a misspelt or retired score, which would leave a chart or a column silently empty.
 */
class WebScoreNamesTest {

  private static final List<String> PAGES = List.of("/static/common.js", "/static/overview.js", "/static/generation.js",
      "/static/compare.js", "/static/runbook.js", "/", "/generation", "/compare", "/runbook");
  private static final Pattern SNAKE_CASE = Pattern.compile("\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b");
  /** Rules the pages link to the runbook besides the defaults: the earlier drift rules docs/scores.md gives. */
  private static final Set<String> DOCUMENTED_RULES = Set.of("drift_index_high", "semantic_drift_index_high", "referential_drift_high");
  /**
   * Words that are neither fields, scores nor rules: the compare API's query parameters, a value of the
   * guard's action, the rules' annotation the runbook anchors follow, and the request field the guard's note names.
   */
  private static final Set<String> OTHER_WORDS = Set.of("baseline_model", "baseline_run", "dry_run", "runbook_url", "max_tokens");

  @Test
  void everySnakeCaseNameInThePagesIsAFieldAScoreOrARule() throws IOException {
    Set<String> fields = servedFields(Overview.class, GenerationView.class, BaselineRow.Listing.class, Api.LiveComparison.class,
        Api.GenerationList.class, Api.InstanceList.class, Api.Error.class, Api.RadiusListing.class,
        io.driftwatch.contract.RadiusRecord.class);
    Set<String> rules = new HashSet<>(DOCUMENTED_RULES);
    ScoringSettings.DEFAULT_RULES.stream().map(AlertRule::name).forEach(rules::add);
    rules.add(ScoringEngine.VERBATIM_RULE);
    Set<String> flags = Set.of(io.driftwatch.contract.ScoreRecord.SEMANTIC_SHED);

    Set<String> unexplained = new TreeSet<>();
    Set<String> scores = new TreeSet<>();
    for (String page : PAGES) {
      Matcher m = SNAKE_CASE.matcher(read(page));
      while (m.find()) {
        String name = m.group();
        if (Score.isKnown(name)) {
          scores.add(name);
        } else if (!fields.contains(name) && !rules.contains(name) && !flags.contains(name) && !OTHER_WORDS.contains(name)) {
          unexplained.add(name);
        }
      }
    }
    assertThat(scores).as("the pages show scores").contains(Score.TOPIC_SHIFT.wireName(), Score.COVERAGE_12.wireName());
    assertThat(unexplained).as("names in the web pages that are no field, score or rule").isEmpty();
  }

  @Test
  void theEarlierDriftRulesThePagesLinkAreGivenInTheScoreDocs() throws IOException {
    // ScoreNamesTest (module dashboards) reads that page's rules as a rules file and checks their scores.
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "scores.md"));
    for (String rule : DOCUMENTED_RULES) {
      assertThat(doc).contains("{\"name\": \"" + rule + "\"");
    }
  }

  /** The JSON property names of these types and of every type their properties hold, as the API writes them. */
  private static Set<String> servedFields(Class<?>... roots) {
    Set<String> names = new HashSet<>();
    Set<Class<?>> seen = new HashSet<>();
    Deque<JavaType> todo = new ArrayDeque<>();
    for (Class<?> root : roots) {
      todo.add(EventCodec.MAPPER.constructType(root));
    }
    while (!todo.isEmpty()) {
      JavaType type = todo.pop();
      if (type.isContainerType()) {
        if (type.getKeyType() != null) {
          todo.add(type.getKeyType());
        }
        todo.add(type.getContentType());
        continue;
      }
      Class<?> raw = type.getRawClass();
      if (!raw.getName().startsWith("io.driftwatch.") || raw.isEnum() || !seen.add(raw)) {
        continue;
      }
      BeanDescription bean = EventCodec.MAPPER.getSerializationConfig().introspect(type);
      for (BeanPropertyDefinition property : bean.findProperties()) {
        names.add(property.getName());
        if (property.getAccessor() != null) {
          todo.add(property.getAccessor().getType());
        }
      }
    }
    return names;
  }

  private static String read(String path) throws IOException {
    return new String(StaticAssets.read(StaticAssets.find(path).orElseThrow()), StandardCharsets.UTF_8);
  }
}
