package io.driftwatch.scoring.coherence;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Local coherence, lexical: how strongly each sentence connects to the two before it.
 *
 * <p>For sentence i with content stems C_i, previous content P = C_{i-1} ∪ C_{i-2}, and c_i = 1 when the
 * sentence continues an entity or uses a pronoun while entities are established (else 0):
 * {@code coherence_i = (|C_i ∩ P| + c_i) / (|C_i| + 1)}. The score is its mean over the last k sentences.
 * Range [0, 1]; the first sentence has no neighbours and no value.
 */
public final class LexicalCoherence {

  private ArrayDeque<List<String>> previous = new ArrayDeque<>();
  private ArrayDeque<Double> values = new ArrayDeque<>();

  /** Writes the last two sentences' stems and the window's values, in the order {@link #readFrom} reads them. */
  public void writeTo(StateOutput out) {
    out.stringLists(previous);
    out.doubles(values);
  }

  /** A scorer in the state that {@link #writeTo} wrote. */
  public static LexicalCoherence readFrom(StateInput in) {
    LexicalCoherence c = new LexicalCoherence();
    in.stringLists(c.previous);
    in.doubles(c.values);
    return c;
  }

  /** Adds a sentence; returns its own coherence with its neighbours (NaN for the first). */
  public double observe(Set<String> stems, boolean continuesReference, int windowSentences) {
    double value = Double.NaN;
    if (!previous.isEmpty()) {
      Set<String> before = new HashSet<>();
      previous.forEach(before::addAll);
      int shared = 0;
      for (String stem : stems) {
        if (before.contains(stem)) {
          shared++;
        }
      }
      value = (shared + (continuesReference ? 1.0 : 0.0)) / (stems.size() + 1.0);
      values.addLast(value);
      while (values.size() > windowSentences) {
        values.removeFirst();
      }
    }
    previous.addLast(List.copyOf(stems));
    while (previous.size() > 2) {
      previous.removeFirst();
    }
    return value;
  }

  /** The rolling mean over the last k sentences; NaN before the second sentence. */
  public double rolling() {
    return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
