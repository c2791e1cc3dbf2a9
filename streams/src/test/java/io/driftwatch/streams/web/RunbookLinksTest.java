package io.driftwatch.streams.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.engine.ScoringSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The web view's links from alert rules to runbook entries: every default rule has one, every link
 * lands on a heading of the runbook the view serves (docs/runbook.md, copied into the jar), and the
 * runbook page and text are served.
 */
class RunbookLinksTest {

  @Test
  void everyDefaultRuleLinksToAnEntryOfTheServedRunbook() throws IOException {
    String common = read(StaticAssets.find("/static/common.js").orElseThrow());
    Matcher block = Pattern.compile("dw\\.RUNBOOK = \\{(.*?)\\};", Pattern.DOTALL).matcher(common);
    assertThat(block.find()).isTrue();
    Map<String, String> links = new LinkedHashMap<>();
    Matcher entry = Pattern.compile("([a-z_]+): \"([A-Za-z]+)\"").matcher(block.group(1));
    while (entry.find()) {
      links.put(entry.group(1), entry.group(2));
    }
    Set<String> defaults = ScoringSettings.DEFAULTS.alertRules().stream().map(AlertRule::name).collect(Collectors.toSet());
    assertThat(links).containsKeys(defaults.toArray(String[]::new));

    String runbook = read(StaticAssets.find("/runbook.md").orElseThrow());
    Set<String> headings = runbook.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).strip()).collect(Collectors.toSet());
    assertThat(headings).containsAll(links.values());
    assertThat(read(StaticAssets.find("/runbook").orElseThrow())).contains("/static/runbook.js");
    assertThat(read(StaticAssets.find("/static/runbook.js").orElseThrow())).contains("/runbook.md");
  }

  private static String read(StaticAssets.Asset asset) throws IOException {
    return new String(StaticAssets.read(asset), StandardCharsets.UTF_8);
  }
}
