package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.scoring.alert.AlertRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringConfigTest {

  @Test
  void fieldsOverrideTheDefaultsAndTheRestStay(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("scoring.json"), """
        {"window_sentences": 5, "alert_rules": [{"name":"loop","score":"loop_repeats","fire_at":4,"clear_below":2,
         "for_sentences":1,"clear_sentences":1}]}""");
    ScoringSettings s = ScoringConfig.load(file);
    assertThat(s.windowSentences()).isEqualTo(5);
    assertThat(s.openingSentences()).isEqualTo(ScoringSettings.DEFAULTS.openingSentences());
    assertThat(s.alertRules()).containsExactly(new AlertRule("loop", "loop_repeats", 4, 2, 1, 1));
  }

  @Test
  void typosAndBadValuesAreReported(@TempDir Path dir) throws Exception {
    Path typo = Files.writeString(dir.resolve("a.json"), "{\"window_sentence\": 5}");
    assertThatThrownBy(() -> ScoringConfig.load(typo)).hasMessageContaining("unknown scoring settings").hasMessageContaining("window_sentence");
    Path bad = Files.writeString(dir.resolve("b.json"), "{\"window_sentences\": 0}");
    assertThatThrownBy(() -> ScoringConfig.load(bad)).hasMessageContaining("invalid scoring settings");
  }

  @Test
  void defaultsRoundTrip(@TempDir Path dir) throws Exception {
    assertThat(ScoringConfig.load(Files.writeString(dir.resolve("c.json"), "{}"))).isEqualTo(ScoringSettings.DEFAULTS);
    assertThat(ScoringSettings.DEFAULTS.alertRules()).isEqualTo(List.copyOf(ScoringSettings.DEFAULT_RULES));
  }
}
