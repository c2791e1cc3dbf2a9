package io.driftwatch.scoring.radius;

import java.util.ArrayList;
import java.util.List;

/**
 * The context lengths a generation is probed at: a geometric ladder {@code first, 2·first, 4·first, ...}
 * below the generation's full context, then the full context itself. Doubling keeps the number of
 * requests logarithmic in the context length while resolving the radius to within a factor of two.
 *
 * @param first the shortest context probed, in tokens
 */
public record ContextLadder(int first) {

  public ContextLadder {
    if (first < 1) {
      throw new IllegalArgumentException("the shortest probed context must be at least 1 token, not " + first);
    }
  }

  /** The rungs for a context of {@code full} tokens, ascending, ending with {@code full}. */
  public List<Integer> rungs(int full) {
    if (full < 1) {
      throw new IllegalArgumentException("a probed generation needs at least 1 token of context, not " + full);
    }
    List<Integer> out = new ArrayList<>();
    for (long m = first; m < full; m *= 2) {
      out.add((int) m);
    }
    out.add(full);
    return out;
  }
}
