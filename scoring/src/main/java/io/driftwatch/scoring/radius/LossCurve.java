package io.driftwatch.scoring.radius;

import java.util.List;

/**
 * A generation's (or a model's) loss against the context length it was shown. At each probed length m
 * the loss is measured on the first min(m, target) probed tokens, so that every measured token saw
 * between m and 2m tokens of context, and it is compared with the loss of the same tokens at full
 * context: their difference, the excess, is what the truncation cost. The last point is the full
 * context, where the excess is zero by definition.
 *
 * @param contexts context lengths in tokens, strictly ascending
 * @param nll mean negative log-likelihood (nats per token) of the tokens measured at each length
 * @param reference mean negative log-likelihood of the same tokens at full context
 */
public record LossCurve(List<Integer> contexts, List<Double> nll, List<Double> reference) {

  public LossCurve {
    contexts = List.copyOf(contexts);
    nll = List.copyOf(nll);
    reference = List.copyOf(reference);
    if (contexts.isEmpty() || contexts.size() != nll.size() || contexts.size() != reference.size()) {
      throw new IllegalArgumentException("a loss curve needs one loss and one reference per context length, and at least one");
    }
    for (int i = 1; i < contexts.size(); i++) {
      if (contexts.get(i) <= contexts.get(i - 1)) {
        throw new IllegalArgumentException("context lengths must ascend: " + contexts);
      }
    }
    for (int i = 0; i < nll.size(); i++) {
      if (!Double.isFinite(nll.get(i)) || !Double.isFinite(reference.get(i))) {
        throw new IllegalArgumentException("losses must be finite: " + nll + " against " + reference);
      }
    }
  }

  public int fullContext() {
    return contexts.get(contexts.size() - 1);
  }

  /** The loss of all probed tokens at full context. */
  public double fullNll() {
    return nll.get(nll.size() - 1);
  }

  /** What truncating to the i-th context length cost, in nats per token. */
  public double excess(int i) {
    return nll.get(i) - reference.get(i);
  }

  /** The loss at the i-th length on the full-context scale: the full-context loss plus the excess. */
  public double adjustedNll(int i) {
    return fullNll() + excess(i);
  }

  /**
   * The effective context radius: the shortest probed context whose excess is at most {@code tolerance}
   * nats per token. The full context qualifies by definition, so there always is one; a radius equal
   * to the full context means truncation hurt at every rung.
   */
  public int radius(double tolerance) {
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be at least 0 nats per token, not " + tolerance);
    }
    for (int i = 0; i < contexts.size(); i++) {
      if (excess(i) <= tolerance) {
        return contexts.get(i);
      }
    }
    return fullContext();
  }

  /** What the full context buys over the shortest probed one, in nats per token. */
  public double contextGain() {
    return excess(0);
  }
}
