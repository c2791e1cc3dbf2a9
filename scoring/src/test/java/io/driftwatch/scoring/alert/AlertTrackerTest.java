package io.driftwatch.scoring.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {

  private final AlertRule rule = new AlertRule("drift", "x", 0.5, 0.3, 2, 2);

  private List<String> feed(double... values) {
    AlertTracker tracker = new AlertTracker();
    List<String> out = new ArrayList<>();
    long seq = 0;
    for (double v : values) {
      for (AlertTracker.Transition t : tracker.observe(List.of(rule), Map.of("x", v), seq, seq + 9)) {
        out.add((t.firing() ? "fire@" : "clear@") + seq / 10 + "[" + t.firstSeq() + "]");
      }
      seq += 10;
    }
    return out;
  }

  @Test
  void firesAfterTheStreakAndNamesWhereTheStreakBegan() {
    assertThat(feed(0.1, 0.6, 0.7, 0.8)).containsExactly("fire@2[10]");
  }

  @Test
  void aFlappingScoreRaisesOneAlert() {
    assertThat(feed(0.6, 0.6, 0.4, 0.6, 0.4, 0.6, 0.45, 0.6, 0.6)).containsExactly("fire@1[0]");
  }

  @Test
  void resolvesOnlyAfterTheClearStreakAndCanFireAgain() {
    assertThat(feed(0.6, 0.6, 0.2, 0.4, 0.2, 0.1, 0.6, 0.7)).containsExactly("fire@1[0]", "clear@5[50]", "fire@7[60]");
  }

  @Test
  void undefinedValuesChangeNothing() {
    AlertTracker tracker = new AlertTracker();
    assertThat(tracker.observe(List.of(rule), Map.of(), 0, 1)).isEmpty();
    assertThat(tracker.firing(List.of(rule))).isEmpty();
  }

  @Test
  void inconsistentRulesAreRefused() {
    assertThatThrownBy(() -> new AlertRule("r", "x", 0.3, 0.5, 1, 1)).hasMessageContaining("clear_below");
  }
}
