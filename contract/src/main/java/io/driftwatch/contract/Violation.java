package io.driftwatch.contract;

/** A broken rule of the wire contract: a stable rule name and a message that says what was wrong. */
public record Violation(String rule, String message) {
  @Override
  public String toString() {
    return rule + ": " + message;
  }
}
