package io.driftwatch.scoring.alert;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hysteresis state of every alert rule for one generation. Small: a few counters per rule.
 */
public final class AlertTracker {

  /** One rule's state: whether it is firing, and the current streaks. */
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

  /** Writes every rule's state by rule name, in the order {@link #readFrom} reads them. */
  public void writeTo(StateOutput out) {
    out.varint(states.size());
    for (Map.Entry<String, RuleState> entry : states.entrySet()) {
      RuleState s = entry.getValue();
      out.string(entry.getKey());
      out.bool(s.firing);
      out.signed(s.aboveStreak);
      out.signed(s.belowStreak);
      out.signed(s.streakFirstSeq);
    }
  }

  /** A tracker in the state that {@link #writeTo} wrote. */
  public static AlertTracker readFrom(StateInput in) {
    AlertTracker t = new AlertTracker();
    int n = in.count();
    for (int i = 0; i < n; i++) {
      String name = in.string();
      RuleState s = new RuleState();
      s.firing = in.bool();
      s.aboveStreak = in.signedInt();
      s.belowStreak = in.signedInt();
      s.streakFirstSeq = in.signed();
      t.states.put(name, s);
    }
    return t;
  }

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
