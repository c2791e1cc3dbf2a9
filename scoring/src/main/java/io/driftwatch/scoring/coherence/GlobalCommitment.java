package io.driftwatch.scoring.coherence;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Global commitment, lexical: how much of what the text says now it had already committed to.
 *
 * <p>The commitments H are the content stems of the prompt and of the opening sentences (the first m).
 * The window W holds the last k sentences after the opening. {@code commitment = |D(W) ∩ H| / |D(W)|},
 * where D(W) is the distinct content stems of the window: the share of what the text talks about now
 * that was part of what it set out to talk about. In [0, 1]; high while the text stays with its prompt
 * and opening, falling as it wanders off. Undefined until the first sentence after the opening.
 */
public final class GlobalCommitment {

  /** Most stems kept as commitments, so that the state stays bounded on very long generations. */
  public static final int MAX_COMMITMENTS = 4096;
  /**
   * Most characters of all commitments together: 4,096 stems of English average about 7 characters, so
   * this only binds on prompts of long non-words, which would otherwise store 4,096 × 32 characters.
   */
  public static final int MAX_COMMITMENT_CHARS = 32_768;

  private LinkedHashSet<String> commitments = new LinkedHashSet<>();
  private ArrayDeque<List<String>> window = new ArrayDeque<>();

  /** Writes the commitments and the window, in the order {@link #readFrom} reads them. */
  public void writeTo(StateOutput out) {
    out.strings(commitments);
    out.stringLists(window);
  }

  /** A scorer in the state that {@link #writeTo} wrote. */
  public static GlobalCommitment readFrom(StateInput in) {
    GlobalCommitment c = new GlobalCommitment();
    in.strings(c.commitments);
    in.stringLists(c.window);
    return c;
  }

  /** Adds stems straight to the commitments (the prompt, the opening sentences). */
  public void commit(Set<String> stems) {
    // Counted here rather than kept in the state: commit runs only on the prompt and the opening
    // sentences, and the stored state keeps the same fields as before the cap.
    int commitmentChars = commitments.stream().mapToInt(String::length).sum();
    for (String stem : stems) {
      if (commitments.size() >= MAX_COMMITMENTS || commitmentChars + stem.length() > MAX_COMMITMENT_CHARS) {
        return;
      }
      if (commitments.add(stem)) {
        commitmentChars += stem.length();
      }
    }
  }

  /** Adds a sentence after the opening to the window. */
  public void observe(Set<String> stems, int windowSentences) {
    window.addLast(List.copyOf(stems));
    while (window.size() > windowSentences) {
      window.removeFirst();
    }
  }

  /** Share of the window's distinct content stems found in the commitments; NaN when undefined. */
  public double commitment() {
    Set<String> recent = new HashSet<>();
    window.forEach(recent::addAll);
    if (recent.isEmpty() || commitments.isEmpty()) {
      return Double.NaN;
    }
    long committed = recent.stream().filter(commitments::contains).count();
    return (double) committed / recent.size();
  }

  public int commitments() {
    return commitments.size();
  }
}
