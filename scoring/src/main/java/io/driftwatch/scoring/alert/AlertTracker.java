package io.driftwatch.scoring.alert;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hysteresis state of every alert rule for one generation. Small: a few counters per rule.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class AlertTracker {

  /** One rule's state: whether it is firing, and the current streaks. */
  @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  static final class RuleState {
    boolean firing;
    int aboveStreak;
    int belowStreak;
    long streakFirstSeq = -1;
  }

  /** A change of a rule's state at a sentence. */
  public record Transition(AlertRule rule, boolean firing, double value, long firstSeq, long lastSeq) {}

  /** By rule name, so that a configuration with rules added or reordered still finds each rule's state. */
  private LinkedHashMap<String, RuleState> states = new LinkedHashMap<>();

  /**
   * Feeds one sentence's scores to every rule.
   *
   * @param firstSeq first token of the sentence
   * @param lastSeq last token of the sentence
   */
  public List<Transition> observe(List<AlertRule> rules, Map<String, Double> scores, long firstSeq, long lastSeq) {
    List<Transition> out = new ArrayList<>(0);
    for (AlertRule rule : rules) {
      RuleState s = states.computeIfAbsent(rule.name(), k -> new RuleState());
      Double value = scores.get(rule.score());
      if (value == null || value.isNaN()) {
        continue;
      }
      if (value >= rule.fireAt()) {
        if (s.aboveStreak == 0) {
          s.streakFirstSeq = firstSeq;
        }
        s.aboveStreak++;
      } else {
        s.aboveStreak = 0;
      }
      s.belowStreak = value < rule.clearBelow() ? s.belowStreak + 1 : 0;
      if (!s.firing && s.aboveStreak >= rule.forSentences()) {
        s.firing = true;
        out.add(new Transition(rule, true, value, s.streakFirstSeq, lastSeq));
      } else if (s.firing && s.belowStreak >= rule.clearSentences()) {
        s.firing = false;
        out.add(new Transition(rule, false, value, firstSeq, lastSeq));
      }
    }
    return out;
  }

  /** Names of the rules firing now. */
  public List<String> firing(List<AlertRule> rules) {
    List<String> out = new ArrayList<>();
    for (AlertRule rule : rules) {
      RuleState s = states.get(rule.name());
      if (s != null && s.firing) {
        out.add(rule.name());
      }
    }
    return out;
  }
}
