package io.driftwatch.scoring.radius;

/** The next request would spend more tokens than the budget has left, so it was not sent. */
public final class BudgetExhaustedException extends ProbeException {
  private static final long serialVersionUID = 1L;

  public BudgetExhaustedException(long wanted, long left) {
    super("token budget reached: the next request needs " + wanted + " tokens and " + left + " are left");
  }
}
