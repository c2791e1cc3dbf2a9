package io.driftwatch.scoring.fluency;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayDeque;

/**
 * Local fluency from logprobs: the surprisal (−logprob, in nats) of the last W tokens that came with a
 * logprob, its mean, and its trend: the least-squares slope of surprisal against position in the
 * window, in nats per token. A rising trend means the model grows less sure of its own text.
 */
public final class SurprisalWindow {

  private ArrayDeque<Double> surprisals = new ArrayDeque<>();

  /** Writes the window's surprisals, oldest first. */
  public void writeTo(StateOutput out) {
    out.doubles(surprisals);
  }

  /** A window in the state that {@link #writeTo} wrote. */
  public static SurprisalWindow readFrom(StateInput in) {
    SurprisalWindow w = new SurprisalWindow();
    in.doubles(w.surprisals);
    return w;
  }

  public void observe(double logprob, int window) {
    surprisals.addLast(-logprob);
    while (surprisals.size() > window) {
      surprisals.removeFirst();
    }
  }

  public boolean isEmpty() {
    return surprisals.isEmpty();
  }

  public double mean() {
    return surprisals.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Least-squares slope over positions 0..n-1; NaN with fewer than two values. */
  public double trend() {
    int n = surprisals.size();
    if (n < 2) {
      return Double.NaN;
    }
    double meanX = (n - 1) / 2.0;
    double meanY = mean();
    double num = 0;
    double den = 0;
    int x = 0;
    for (double y : surprisals) {
      num += (x - meanX) * (y - meanY);
      den += (x - meanX) * (x - meanX);
      x++;
    }
    return num / den;
  }
}
