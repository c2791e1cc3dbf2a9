package io.driftwatch.producers.tap;

import java.util.Set;

/**
 * What the tap guards and how it stops (docs/tap.md, Guard).
 *
 * @param rules the rules that stop a stream
 * @param finishReason the finish_reason of the final chunk of a stopped stream
 * @param dryRun decide and record what would have been stopped, and stop nothing
 * @param inProcess the in-process decision path for the rules it can evaluate, or null when it evaluates none
 * @param inFlight where the Kafka decision path ({@link AlertStops}) finds the streams its alerts are
 *     about, or null without that path
 */
public record GuardSettings(Set<String> rules, String finishReason, boolean dryRun, TapGuard inProcess, InFlightGenerations inFlight) {

  /** What OpenAI's own API says when it withholds the rest of a completion; clients already handle it. */
  public static final String DEFAULT_FINISH_REASON = "content_filter";

  public GuardSettings {
    rules = Set.copyOf(rules);
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("the guard needs at least one rule");
    }
    if (finishReason == null || finishReason.isBlank()) {
      throw new IllegalArgumentException("the guard's finish reason must not be blank");
    }
    if (inProcess == null && inFlight == null) {
      throw new IllegalArgumentException("the guard needs a decision path: in process, through Kafka, or both");
    }
  }
}
