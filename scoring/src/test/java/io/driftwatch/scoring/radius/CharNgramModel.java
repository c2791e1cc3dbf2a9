package io.driftwatch.scoring.radius;

import io.driftwatch.attribution.SuffixArrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A synthetic language model of known context order over book text: characters are its tokens, and the
 * probability of the next one given the last {@code order} characters is an interpolated n-gram
 * estimate ({@code P_j(c) = (count(h_j c) + β·P_{j−1}(c)) / (count(h_j) + β)}, down to add-one
 * character frequencies), counted exactly from a suffix array of the reversed book. Extending a
 * context one character further back narrows a suffix-array range, so every order costs two binary
 * searches. It never looks further back than {@code order}, so a probe must find its radius there.
 */
public final class CharNgramModel {

  /**
   * The weight of the shorter context's estimate. A strong prior makes every further character of context
   * add evidence, so that a model of order 32 still gains from its 17th to 32nd characters on the book it
   * was counted on; with a weak one a context seen once already makes it nearly certain, and orders
   * beyond about 16 would be indistinguishable on memorised text.
   */
  private static final double BETA = 16.0;

  private final int[] reversed;
  private final int[] suffixArray;
  private final Map<Integer, Integer> symbols = new HashMap<>();
  private final long[] frequency;
  private final int length;

  public CharNgramModel(String corpus) {
    int[] cps = corpus.codePoints().toArray();
    length = cps.length;
    for (int cp : cps) {
      symbols.computeIfAbsent(cp, c -> symbols.size() + 1);
    }
    reversed = new int[length + 1]; // the last symbol stays 0, the sentinel
    frequency = new long[symbols.size() + 1];
    for (int i = 0; i < length; i++) {
      int s = symbols.get(cps[length - 1 - i]);
      reversed[i] = s;
      frequency[s]++;
    }
    suffixArray = SuffixArrays.build(reversed, symbols.size() + 1);
  }

  /** ln P(text[pos] | the {@code min(order, pos)} code points before it), over code points of {@code text}. */
  public double logprob(int[] text, int pos, int order) {
    int c = symbols.getOrDefault(text[pos], -1);
    double p = (c < 0 ? 1.0 : frequency[c] + 1.0) / (length + symbols.size() + 1.0);
    if (c < 0) {
      return Math.log(p); // an unseen character: no context helps, every longer estimate stays at this
    }
    int[] context = {0, reversed.length}; // suffixes starting with h_1..h_j (h_1 the nearest character)
    int[] joint = narrow(new int[] {0, reversed.length}, 0, c); // suffixes starting with c h_1..h_j
    for (int j = 1; j <= Math.min(order, pos); j++) {
      int h = symbols.getOrDefault(text[pos - j], -1);
      if (h < 0) {
        break;
      }
      context = narrow(context, j - 1, h);
      joint = narrow(joint, j, h);
      long n = context[1] - context[0];
      if (n == 0) {
        break; // no occurrence of this context: longer ones have none either
      }
      p = ((joint[1] - joint[0]) + BETA * p) / (n + BETA);
    }
    return Math.log(p);
  }

  /** The sub-range of {@code range} (suffixes sharing their first {@code depth} symbols) whose next symbol is {@code s}. */
  private int[] narrow(int[] range, int depth, int s) {
    return new int[] {lowerBound(range, depth, s), lowerBound(range, depth, s + 1)};
  }

  private int lowerBound(int[] range, int depth, int s) {
    int lo = range[0];
    int hi = range[1];
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int at = suffixArray[mid] + depth;
      int sym = at < reversed.length ? reversed[at] : -1;
      if (sym < s) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
