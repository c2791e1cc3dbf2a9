package io.driftwatch.contract;

/**
 * An event that cannot be accepted, with the name of the rule it breaks (for example {@code seq.required}).
 * The rule name is stable and goes into dead-letter records and metric labels; the message is for people.
 */
public final class InvalidEventException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String rule;

  public InvalidEventException(String rule, String message) {
    super(rule + ": " + message);
    this.rule = rule;
  }

  public InvalidEventException(Violation violation) {
    this(violation.rule(), violation.message());
  }

  public String rule() {
    return rule;
  }

  /** The human part of the message, without the rule prefix. */
  public String detail() {
    return getMessage().substring(rule.length() + 2);
  }
}
