package io.driftwatch.scoring.radius;

import java.util.List;

/**
 * The server's losses for the scored part of one prompt, token by token in its own tokenization.
 *
 * @param offsets where each token starts, in code points from the start of the scored text
 * @param nll each token's −logprob, in nats
 */
public record EchoedTarget(List<Integer> offsets, List<Double> nll) {

  public EchoedTarget {
    offsets = List.copyOf(offsets);
    nll = List.copyOf(nll);
    if (offsets.isEmpty() || offsets.size() != nll.size()) {
      throw new IllegalArgumentException("one loss per echoed token, and at least one token");
    }
  }

  /** The mean loss of the tokens that start within the first {@code length} code points; NaN when none does. */
  public double meanNllBefore(int length) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < offsets.size(); i++) {
      if (offsets.get(i) < length) {
        sum += nll.get(i);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  public int tokens() {
    return offsets.size();
  }
}
