package io.driftwatch.scoring.radius;

/**
 * The prompt tokens a probe may send in all, counted in the sample's tokens (what is known before a
 * request leaves; the server's tokenizer may count differently). Every attempt, retries included,
 * reserves its tokens before it is sent, so the budget is never exceeded.
 */
public final class TokenBudget {

  private final long limit;
  private long spent;

  /** @param limit the tokens that may be sent; {@link Long#MAX_VALUE} for no limit */
  public TokenBudget(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("a token budget cannot be negative: " + limit);
    }
    this.limit = limit;
  }

  public synchronized boolean fits(long tokens) {
    return tokens <= limit - spent;
  }

  /** Reserves {@code tokens}, or throws without reserving anything when they do not fit. */
  public synchronized void reserve(long tokens) throws BudgetExhaustedException {
    if (!fits(tokens)) {
      throw new BudgetExhaustedException(tokens, limit - spent);
    }
    spent += tokens;
  }

  public synchronized long spent() {
    return spent;
  }

  public long limit() {
    return limit;
  }
}
