package io.driftwatch.contract;

import java.time.Instant;

/**
 * A record on the alerts topic: an alert rule changed state for a generation.
 *
 * @param rule the rule's name (configuration)
 * @param score the score the rule watches
 * @param state {@link #FIRING} when the rule tripped, {@link #RESOLVED} when the score came back
 * @param value the score's value at the sentence where the state changed
 * @param fireAt the rule's firing threshold
 * @param clearBelow the rule's resolving threshold
 * @param firstSeq first token of the range the alert is about: where the score first crossed the
 *     threshold (firing) or the sentence that cleared it (resolved)
 * @param lastSeq last token of that range
 * @param sentence index of the sentence where the state changed
 * @param eventTime event time of that sentence's last token
 * @param sources for {@code verbatim_copy}: where the copied span occurs in the reference corpus
 *     (document and word offset, a capped list); absent for other rules
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record AlertEvent(
    Integer v,
    String generationId,
    String runId,
    String model,
    String rule,
    String score,
    String state,
    double value,
    double fireAt,
    double clearBelow,
    long firstSeq,
    long lastSeq,
    int sentence,
    Instant eventTime,
    java.util.List<SpanRecord.Source> sources) {

  public static final String FIRING = "firing";

  /** An alert of a score rule, which names no sources. */
  public AlertEvent(Integer v, String generationId, String runId, String model, String rule, String score, String state,
      double value, double fireAt, double clearBelow, long firstSeq, long lastSeq, int sentence, Instant eventTime) {
    this(v, generationId, runId, model, rule, score, state, value, fireAt, clearBelow, firstSeq, lastSeq, sentence, eventTime, null);
  }
  public static final String RESOLVED = "resolved";
}
