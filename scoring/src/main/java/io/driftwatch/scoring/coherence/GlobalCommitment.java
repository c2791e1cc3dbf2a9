package io.driftwatch.scoring.coherence;

import io.driftwatch.scoring.state.EncodedStrings;
import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayDeque;
import java.util.HashMap;
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
  /**
   * The commitments as the state writes them, kept as they are added: they only grow (from the prompt and
   * the opening), yet every commit writes them, and encoding them again each time was the largest part
   * of the state's encode (measured: docs/benchmarks.md). Null after a decode until the state is written.
   */
  private EncodedStrings encodedCommitments = new EncodedStrings();
  private ArrayDeque<List<String>> window = new ArrayDeque<>();

  /**
   * Each distinct stem of the window, with the number of window sentences holding it, kept as sentences
   * join and leave the window: the reading is asked at every sentence, and building the window's union
   * each time cost a set of every stem in it. Derived from the window, so not written; null after a
   * decode until the first sentence or reading rebuilds it.
   */
  private HashMap<String, int[]> windowStems;
  /** How many of {@link #windowStems}' keys are commitments. */
  private int committedStems;

  /** Writes the commitments and the window, in the order {@link #readFrom} reads them. */
  public void writeTo(StateOutput out) {
    if (encodedCommitments == null) {
      encodedCommitments = new EncodedStrings();
      commitments.forEach(encodedCommitments::addLast);
    }
    encodedCommitments.writeTo(out);
    out.stringLists(window);
  }

  /** A scorer in the state that {@link #writeTo} wrote. */
  public static GlobalCommitment readFrom(StateInput in) {
    GlobalCommitment c = new GlobalCommitment();
    in.strings(c.commitments);
    in.stringLists(c.window);
    c.windowStems = null;
    c.encodedCommitments = null;
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
        if (encodedCommitments != null) {
          encodedCommitments.addLast(stem);
        }
        if (windowStems != null && windowStems.containsKey(stem)) {
          committedStems++;
        }
      }
    }
  }

  /** Adds a sentence after the opening to the window. */
  public void observe(Set<String> stems, int windowSentences) {
    countedWindow();
    List<String> sentence = List.copyOf(stems);
    window.addLast(sentence);
    sentence.forEach(this::countIn);
    while (window.size() > windowSentences) {
      window.removeFirst().forEach(this::countOut);
    }
  }

  /** Share of the window's distinct content stems found in the commitments; NaN when undefined. */
  public double commitment() {
    countedWindow();
    if (windowStems.isEmpty() || commitments.isEmpty()) {
      return Double.NaN;
    }
    return (double) committedStems / windowStems.size();
  }

  /** Builds {@link #windowStems} from the window when a decode left it unbuilt. */
  private void countedWindow() {
    if (windowStems == null) {
      windowStems = new HashMap<>();
      committedStems = 0;
      window.forEach(sentence -> sentence.forEach(this::countIn));
    }
  }

  private void countIn(String stem) {
    int[] held = windowStems.get(stem);
    if (held == null) {
      windowStems.put(stem, new int[] {1});
      if (commitments.contains(stem)) {
        committedStems++;
      }
    } else {
      held[0]++;
    }
  }

  private void countOut(String stem) {
    int[] held = windowStems.get(stem);
    if (--held[0] == 0) {
      windowStems.remove(stem);
      if (commitments.contains(stem)) {
        committedStems--;
      }
    }
  }

  public int commitments() {
    return commitments.size();
  }
}
