package io.driftwatch.scoring.engine;

import io.driftwatch.contract.Score;
import io.driftwatch.scoring.alert.AlertRule;
import java.util.List;

/**
 * Every window size and threshold of the scoring engine. Defaults are documented in docs/scores.md.
 *
 * @param maxSentenceTokens a sentence is cut after this many tokens even without an end (run-on text)
 * @param windowSentences k: sentences in the rolling windows of coherence, commitment and reference
 * @param openingSentences m: sentences that, with the prompt, make the generation's commitments
 * @param surprisalWindow W: tokens in the rolling surprisal window
 * @param repetitionWindow tokens in the repetition-rate window
 * @param repetitionNgram n-gram length of the repetition rate
 * @param maxLoopPeriod longest repeating span, in tokens, that loop detection looks for
 * @param minLoopTokens a loop counts once its repeats cover this many tokens
 * @param radiusSentences R: how many recent sentences the coherence radius looks back over
 * @param radiusThreshold sentences at least this similar (cosine) to the current one are within its radius
 * @param shiftSentences the most recent sentences (with the prompt) in which the topic-shift change point is sought
 * @param alertRules the alert rules, evaluated at every sentence
 * @param lexical whether to compute the lexical, referential, degeneration and fluency scores (on by
 *     default); off only to measure the other families alone (driftwatch bench pipeline --families):
 *     sentences are still cut, and the semantic and attribution scores do not depend on these
 */
public record ScoringSettings(
    int maxSentenceTokens,
    int windowSentences,
    int openingSentences,
    int surprisalWindow,
    int repetitionWindow,
    int repetitionNgram,
    int maxLoopPeriod,
    int minLoopTokens,
    int radiusSentences,
    double radiusThreshold,
    int shiftSentences,
    List<AlertRule> alertRules,
    boolean lexical) {

  /**
   * The default alert rules: a topic shift in meaning, judged by mean similarities and by nearest
   * neighbours (both need the semantic scores; silent without them), a change of the cast of named
   * entities, and loops. Thresholds and streak lengths were chosen together on the tuning half of the
   * calibration set of real text so that each rule fires on at most 0.5% of steady passages; docs/scores.md
   * has what they catch on the other half. The neighbour shift fires on one sentence: at the threshold
   * where a single sentence is as rare on steady text, it catches more splices than two sentences do at
   * theirs. The older drift rules (drift_index, semantic_drift_index, referential_drift) fired on 5-38% of
   * steady real text and are left out of the defaults.
   */
  public static final List<AlertRule> DEFAULT_RULES = List.of(
      new AlertRule(Score.TOPIC_SHIFT.wireName(), Score.TOPIC_SHIFT.wireName(), 0.38, 0.25, 2, 2),
      new AlertRule(Score.NEIGHBOUR_SHIFT.wireName(), Score.NEIGHBOUR_SHIFT.wireName(), 3.03, 1.5, 1, 2),
      new AlertRule(Score.ENTITY_SHIFT.wireName(), Score.ENTITY_SHIFT.wireName(), 0.57, 0.30, 3, 2),
      new AlertRule("loop", Score.LOOP_REPEATS.wireName(), 2.2, 1.5, 1, 2));

  private static final int DEFAULTS_SHIFT_SENTENCES = 16;

  public static final ScoringSettings DEFAULTS = new ScoringSettings(64, 8, 6, 32, 64, 3, 96, 12, 8, 0.2, DEFAULTS_SHIFT_SENTENCES, DEFAULT_RULES, true);

  public ScoringSettings {
    alertRules = List.copyOf(alertRules);
    if (maxSentenceTokens < 2 || windowSentences < 1 || openingSentences < 0 || surprisalWindow < 2
        || repetitionWindow < repetitionNgram || repetitionNgram < 1 || maxLoopPeriod < 1 || minLoopTokens < 2
        || radiusSentences < 1 || !(radiusThreshold >= -1 && radiusThreshold <= 1) || shiftSentences < 4 || shiftSentences > 64) {
      throw new IllegalArgumentException("invalid scoring settings: " + this);
    }
  }

  /** Settings with the lexical scores on. */
  public ScoringSettings(int maxSentenceTokens, int windowSentences, int openingSentences, int surprisalWindow,
      int repetitionWindow, int repetitionNgram, int maxLoopPeriod, int minLoopTokens, int radiusSentences,
      double radiusThreshold, List<AlertRule> alertRules) {
    this(maxSentenceTokens, windowSentences, openingSentences, surprisalWindow, repetitionWindow, repetitionNgram, maxLoopPeriod,
        minLoopTokens, radiusSentences, radiusThreshold, DEFAULTS_SHIFT_SENTENCES, alertRules, true);
  }

  public ScoringSettings withAlertRules(List<AlertRule> rules) {
    return new ScoringSettings(maxSentenceTokens, windowSentences, openingSentences, surprisalWindow, repetitionWindow,
        repetitionNgram, maxLoopPeriod, minLoopTokens, radiusSentences, radiusThreshold, shiftSentences, rules, lexical);
  }

  public ScoringSettings withLexical(boolean on) {
    return new ScoringSettings(maxSentenceTokens, windowSentences, openingSentences, surprisalWindow, repetitionWindow,
        repetitionNgram, maxLoopPeriod, minLoopTokens, radiusSentences, radiusThreshold, shiftSentences, alertRules, on);
  }
}
