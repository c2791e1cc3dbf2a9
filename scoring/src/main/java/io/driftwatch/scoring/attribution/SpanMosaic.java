package io.driftwatch.scoring.attribution;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The patch mosaic of one generation, from its closed verbatim spans in the order they close: how many
 * there are, the distribution of their lengths, and how often consecutive spans come from different
 * sources (docs/attribution.md, "The mosaic").
 *
 * <p>Lengths are kept as a count per length, not as a list, so the state stays bounded: a length above
 * the cap (the matcher's window) counts as the cap, as the matcher's own match lengths do. A span's
 * sources are the distinct documents of its listed occurrences; two consecutive spans switch source when
 * both list documents and they share none (a span found in several documents could be from any of them,
 * so only spans that cannot share a source count as a switch).
 */
public final class SpanMosaic {

  private final TreeMap<Integer, Integer> countByLength = new TreeMap<>();
  private int spans;
  private int switches;
  private TreeSet<String> lastSources = new TreeSet<>();

  /** A closed span of {@code length} words listed in these documents; lengths over {@code cap} count as {@code cap}. */
  public void add(int length, List<String> documents, int cap) {
    if (length < 1) {
      throw new IllegalArgumentException("a span has at least one word, not " + length);
    }
    countByLength.merge(Math.min(length, cap), 1, Integer::sum);
    TreeSet<String> sources = new TreeSet<>(documents);
    if (spans > 0 && !sources.isEmpty() && !lastSources.isEmpty() && disjoint(sources, lastSources)) {
      switches++;
    }
    spans++;
    lastSources = sources;
  }

  private static boolean disjoint(TreeSet<String> a, TreeSet<String> b) {
    for (String s : a) {
      if (b.contains(s)) {
        return false;
      }
    }
    return true;
  }

  public int spans() {
    return spans;
  }

  public int switches() {
    return switches;
  }

  /**
   * The nearest-rank quantile of the span lengths: the smallest length such that at least
   * {@code ceil(q * spans)} spans are no longer (so the median of an even count is the lower middle
   * one, and every value is a length some span has). NaN when there is no span.
   */
  public double lengthQuantile(double q) {
    if (q <= 0 || q > 1) {
      throw new IllegalArgumentException("quantile must be in (0, 1], not " + q);
    }
    if (spans == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * spans);
    long seen = 0;
    for (Map.Entry<Integer, Integer> e : countByLength.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("span counts add up to " + seen + ", not " + spans);
  }

  /** Switches of source per pair of consecutive spans (0 to 1); NaN with fewer than two spans. */
  public double switchRate() {
    return spans < 2 ? Double.NaN : (double) switches / (spans - 1);
  }

  /** Writes the mosaic, in the order {@link #readFrom} reads it. */
  public void writeTo(StateOutput out) {
    out.varint(countByLength.size());
    for (Map.Entry<Integer, Integer> e : countByLength.entrySet()) {
      out.varint(e.getKey());
      out.varint(e.getValue());
    }
    out.varint(spans);
    out.varint(switches);
    out.strings(lastSources);
  }

  /** A mosaic in the state that {@link #writeTo} wrote. */
  public static SpanMosaic readFrom(StateInput in) {
    SpanMosaic m = new SpanMosaic();
    int lengths = in.count();
    for (int i = 0; i < lengths; i++) {
      m.countByLength.put(in.varint(), in.varint());
    }
    m.spans = in.varint();
    m.switches = in.varint();
    in.strings(m.lastSources);
    return m;
  }
}
