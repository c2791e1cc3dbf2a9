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
 */
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
    Instant eventTime) {

  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";
}
