package io.driftwatch.scoring.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertRulesTest {

  @Test
  void readsRulesFromJson(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("rules.json"), """
        [{"name":"drift","score":"drift_index","fire_at":0.1,"clear_below":0.0,"for_sentences":3,"clear_sentences":2},
         {"name":"loop","score":"loop_repeats","fire_at":3,"clear_below":1.5,"for_sentences":1,"clear_sentences":2}]""");
    assertThat(AlertRules.load(file)).containsExactly(
        new AlertRule("drift", "drift_index", 0.1, 0.0, 3, 2), new AlertRule("loop", "loop_repeats", 3, 1.5, 1, 2));
  }

  @Test
  void badFilesAreExplained(@TempDir Path dir) throws Exception {
    Path inverted = Files.writeString(dir.resolve("a.json"),
        "[{\"name\":\"x\",\"score\":\"s\",\"fire_at\":0.1,\"clear_below\":0.5,\"for_sentences\":1,\"clear_sentences\":1}]");
    assertThatThrownBy(() -> AlertRules.load(inverted)).hasMessageContaining("clear_below");
    Path twice = Files.writeString(dir.resolve("b.json"),
        "[{\"name\":\"x\",\"score\":\"drift_index\",\"fire_at\":1,\"clear_below\":0,\"for_sentences\":1,\"clear_sentences\":1},"
            + "{\"name\":\"x\",\"score\":\"drift_index\",\"fire_at\":1,\"clear_below\":0,\"for_sentences\":1,\"clear_sentences\":1}]");
    assertThatThrownBy(() -> AlertRules.load(twice)).hasMessageContaining("twice");
    assertThatThrownBy(() -> AlertRules.load(dir.resolve("missing.json"))).hasMessageContaining("cannot read");
    Path misspelt = Files.writeString(dir.resolve("c.json"),
        "[{\"name\":\"x\",\"score\":\"topic_shit\",\"fire_at\":1,\"clear_below\":0,\"for_sentences\":1,\"clear_sentences\":1}]");
    assertThatThrownBy(() -> AlertRules.load(misspelt)).hasMessageContaining("topic_shit").hasMessageContaining("docs/scores.md");
  }

  @Test
  void rulesMayWatchAScoreOrAnAlertableScoresPercentile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("rules.json"), """
        [{"name":"a","score":"topic_shift_pct","fire_at":99.5,"clear_below":95,"for_sentences":2,"clear_sentences":2},
         {"name":"b","score":"coverage_12","fire_at":0.5,"clear_below":0.2,"for_sentences":1,"clear_sentences":1}]""");
    assertThat(AlertRules.load(file)).extracting(AlertRule::score).containsExactly("topic_shift_pct", "coverage_12");
  }
}
