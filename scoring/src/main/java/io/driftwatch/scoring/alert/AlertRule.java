package io.driftwatch.scoring.alert;

import io.driftwatch.contract.Score;

/**
 * A threshold rule on one score, with hysteresis so that a flapping score raises one alert, not many.
 *
 * <p>The rule fires when the score is at or above {@code fireAt} for {@code forSentences} consecutive
 * sentences, and resolves when it is below {@code clearBelow} for {@code clearSentences} consecutive
 * sentences; only then can it fire again. A sentence where the score is undefined changes nothing.
 *
 * @param name the rule's name in alert events and metrics
 * @param score the score it watches (a key of the score record's {@code scores})
 */
public record AlertRule(String name, String score, double fireAt, double clearBelow, int forSentences, int clearSentences) {

  public AlertRule {
    if (name == null || name.isBlank() || score == null || score.isBlank()) {
      throw new IllegalArgumentException("an alert rule needs a name and a score");
    }
    if (clearBelow > fireAt) {
      throw new IllegalArgumentException("rule " + name + ": clear_below (" + clearBelow + ") must not exceed fire_at (" + fireAt + ")");
    }
    if (forSentences < 1 || clearSentences < 1) {
      throw new IllegalArgumentException("rule " + name + ": for_sentences and clear_sentences must be >= 1");
    }
  }

  /**
   * Whether the watched score (or the score whose percentile it watches) comes from the embedding model.
   * Such a rule is evaluated when the sentence's embedding is applied; every other rule when the sentence
   * ends, so that its alerts never wait for the model.
   */
  public boolean needsEmbeddings() {
    String base = score.endsWith(Score.PERCENTILE_SUFFIX) ? score.substring(0, score.length() - Score.PERCENTILE_SUFFIX.length()) : score;
    return Score.byWireName(base).map(Score::isSemantic).orElse(false);
  }
}
