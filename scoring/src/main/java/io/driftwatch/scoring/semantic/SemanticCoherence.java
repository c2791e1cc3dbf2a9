package io.driftwatch.scoring.semantic;

import io.driftwatch.scoring.shift.ChangePoint;
import io.driftwatch.scoring.shift.NeighbourSplit;
import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The semantic scores of one generation, from the unit embeddings e_1..e_n of its sentences:
 *
 * <ul>
 *   <li>local coherence: cos(e_i, e_{i-1}), and its mean over the last k sentences;
 *   <li>global commitment: cos(e_i, a), where the anchor a is the normalised mean of the prompt's
 *       embedding and those of the first m sentences (the generation's commitments), and its mean over
 *       the last k sentences after the opening;
 *   <li>drift index: rolling local coherence minus rolling global commitment;
 *   <li>effective coherence radius of sentence i: walking back from s_{i-1}, the tokens covered by the
 *       unbroken run of sentences whose similarity to s_i stays at or above a threshold; 0 when s_{i-1}
 *       is already below it, and at most the last R sentences (the value is then censored at their
 *       length). Its rolling median over the last k sentences.
 * </ul>
 *
 * <p>Vectors are kept quantised ({@link QuantizedVector}), and only the last R of them, so the state is
 * bounded: about (R + m + 1) × 400 bytes.
 */
public final class SemanticCoherence {

  /** A recent sentence: its vector and its length in tokens. */
  public record Recent(QuantizedVector vector, long tokens, long firstSeq) {}

  /**
   * What one sentence scored; NaN where undefined.
   *
   * @param topicShift the best change point's statistic over the prompt and the recent sentences
   *     ({@link ChangePoint}); NaN until there are enough sentences on both sides
   * @param shiftSeq the first token of the first sentence after that change point; -1 when undefined
   * @param neighbourShift the best change point of the same items judged by their nearest neighbours
   *     ({@link NeighbourSplit}); NaN when undefined
   * @param neighbourShiftSeq the first token of the first sentence after that change point; -1 when undefined
   */
  public record Reading(double sentenceCoherence, double sentenceGlobal, double sentenceRadius, double topicShift, long shiftSeq,
      double neighbourShift, long neighbourShiftSeq) {}

  /** Fewest sentences after a change point: one sentence off topic is a digression, not a shift. */
  public static final int MIN_AFTER_SHIFT = 4;
  /** Fewest items before it, the prompt included. */
  public static final int MIN_BEFORE_SHIFT = 3;
  /** Sentences shorter than this, in tokens, are left out of the change point. */
  public static final int MIN_SHIFT_TOKENS = 8;
  /**
   * Links of each item in the neighbour change point: more than one, so that a sentence that happens to
   * echo one across the split does not decide alone, and few enough that the links of a window of a
   * dozen sentences stay within each item's own passage. Chosen on the tuning half of the calibration
   * set (docs/scores.md).
   */
  public static final int SHIFT_NEIGHBOURS = 3;

  /** The prompt's own vector: the first item of every change-point window (null without a prompt). */
  private QuantizedVector prompt;
  private ArrayList<QuantizedVector> anchorParts = new ArrayList<>();
  private QuantizedVector anchor;
  private ArrayDeque<Recent> recent = new ArrayDeque<>();
  private ArrayDeque<Double> local = new ArrayDeque<>();
  private ArrayDeque<Double> global = new ArrayDeque<>();
  private ArrayDeque<Double> radii = new ArrayDeque<>();

  /** Writes the vectors and the windows' values, in the order {@link #readFrom} reads them. */
  public void writeTo(StateOutput out) {
    writeNullable(out, prompt);
    out.varint(anchorParts.size());
    for (QuantizedVector v : anchorParts) {
      v.writeTo(out);
    }
    writeNullable(out, anchor);
    out.varint(recent.size());
    for (Recent r : recent) {
      r.vector().writeTo(out);
      out.signed(r.tokens());
      out.signed(r.firstSeq());
    }
    out.doubles(local);
    out.doubles(global);
    out.doubles(radii);
  }

  /** A scorer in the state that {@link #writeTo} wrote. */
  public static SemanticCoherence readFrom(StateInput in) {
    SemanticCoherence c = new SemanticCoherence();
    c.prompt = readNullable(in);
    int parts = in.count();
    for (int i = 0; i < parts; i++) {
      c.anchorParts.add(QuantizedVector.readFrom(in));
    }
    c.anchor = readNullable(in);
    int recent = in.count();
    for (int i = 0; i < recent; i++) {
      c.recent.add(new Recent(QuantizedVector.readFrom(in), in.signed(), in.signed()));
    }
    in.doubles(c.local);
    in.doubles(c.global);
    in.doubles(c.radii);
    return c;
  }

  private static void writeNullable(StateOutput out, QuantizedVector v) {
    out.bool(v != null);
    if (v != null) {
      v.writeTo(out);
    }
  }

  private static QuantizedVector readNullable(StateInput in) {
    return in.bool() ? QuantizedVector.readFrom(in) : null;
  }

  /** The prompt's embedding: part of the anchor. */
  public void observePrompt(float[] embedding) {
    QuantizedVector v = QuantizedVector.of(embedding);
    if (prompt == null) {
      prompt = v;
    }
    if (anchor == null) {
      anchorParts.add(v);
    }
  }

  /**
   * One sentence, in order.
   *
   * @param opening whether it is one of the first m sentences (part of the anchor)
   * @param tokens its length in tokens
   * @param firstSeq its first token
   * @param shiftSentences the most recent sentences the change point looks at
   */
  public Reading observe(float[] embedding, boolean opening, long tokens, long firstSeq, int windowSentences, int radiusSentences,
      double radiusThreshold, int shiftSentences) {
    QuantizedVector v = QuantizedVector.of(embedding);
    double coherence = Double.NaN;
    double radius = Double.NaN;
    if (!recent.isEmpty()) {
      coherence = v.cosine(recent.getLast().vector());
      push(local, coherence, windowSentences);
      radius = 0;
      long covered = 0;
      int looked = 0;
      for (var it = recent.descendingIterator(); it.hasNext() && looked++ < radiusSentences; ) {
        Recent r = it.next();
        if (v.cosine(r.vector()) < radiusThreshold) {
          break;
        }
        covered += r.tokens();
        radius = covered;
      }
      push(radii, radius, windowSentences);
    }
    double towardsAnchor = Double.NaN;
    if (opening && anchor == null) {
      anchorParts.add(v);
    } else {
      if (anchor == null && !anchorParts.isEmpty()) {
        anchor = mean(anchorParts);
        anchorParts = new ArrayList<>();
      }
      if (anchor != null) {
        towardsAnchor = v.cosine(anchor);
        push(global, towardsAnchor, windowSentences);
      }
    }
    recent.addLast(new Recent(v, tokens, firstSeq));
    while (recent.size() > Math.max(radiusSentences, shiftSentences)) {
      recent.removeFirst();
    }
    // The change point reads sentences of a few words and more: a line of dialogue ("Yes," said she.)
    // embeds far from everything around it, and steady prose is full of them.
    List<Recent> considered = new ArrayList<>(shiftSentences);
    int skip = Math.max(0, recent.size() - shiftSentences);
    for (Recent r : recent) {
      if (skip-- <= 0 && r.tokens() >= MIN_SHIFT_TOKENS) {
        considered.add(r);
      }
    }
    double[][] sim = similarities(considered);
    ChangePoint.Split shift = ChangePoint.best(sim, sim.length, MIN_BEFORE_SHIFT, MIN_AFTER_SHIFT);
    ChangePoint.Split neighbours = NeighbourSplit.best(sim, sim.length, MIN_BEFORE_SHIFT, MIN_AFTER_SHIFT, SHIFT_NEIGHBOURS);
    return new Reading(coherence, towardsAnchor, radius, shift.statistic(), firstSeqAfter(shift, considered),
        neighbours.statistic(), firstSeqAfter(neighbours, considered));
  }

  /** The first token of the first sentence after a split of the prompt and the considered sentences; -1 for none. */
  private long firstSeqAfter(ChangePoint.Split split, List<Recent> considered) {
    return split.at() < 0 ? -1 : considered.get(split.at() - (prompt == null ? 0 : 1)).firstSeq();
  }

  /** Pairwise similarities of the change points' items: the prompt, then the given recent sentences. */
  private double[][] similarities(List<Recent> considered) {
    List<QuantizedVector> items = new ArrayList<>(considered.size() + 1);
    if (prompt != null) {
      items.add(prompt);
    }
    considered.forEach(r -> items.add(r.vector()));
    int n = items.size();
    double[][] sim = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        sim[i][j] = items.get(i).cosine(items.get(j));
      }
    }
    return sim;
  }

  /** Mean local coherence over the last k sentences; NaN before the second sentence. */
  public double localCoherence() {
    return mean(local);
  }

  /** Mean similarity to the anchor over the last k sentences after the opening; NaN before. */
  public double globalCommitment() {
    return mean(global);
  }

  /** Local minus global; NaN until both are defined. */
  public double driftIndex() {
    return localCoherence() - globalCommitment();
  }

  /** Median of the last k sentences' coherence radii, in tokens; NaN before the second sentence. */
  public double coherenceRadius() {
    if (radii.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = radii.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void push(ArrayDeque<Double> window, double value, int size) {
    window.addLast(value);
    while (window.size() > size) {
      window.removeFirst();
    }
  }

  private static double mean(ArrayDeque<Double> window) {
    if (window.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (double v : window) {
      sum += v;
    }
    return sum / window.size();
  }

  /** The normalised mean of unit vectors, quantised. */
  static QuantizedVector mean(List<QuantizedVector> parts) {
    int dims = parts.get(0).values().length;
    float[] sum = new float[dims];
    for (QuantizedVector p : parts) {
      double norm = 0;
      for (byte b : p.values()) {
        norm += b * b;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < dims; i++) {
        sum[i] += norm == 0 ? 0 : (float) (p.values()[i] / norm);
      }
    }
    double norm = 0;
    for (float f : sum) {
      norm += f * f;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < dims; i++) {
      sum[i] = norm == 0 ? 0 : (float) (sum[i] / norm);
    }
    return QuantizedVector.of(sum);
  }
}
