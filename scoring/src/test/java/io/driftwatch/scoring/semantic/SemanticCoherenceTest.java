package io.driftwatch.scoring.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The incremental semantic scores against a brute-force oracle that keeps every vector and recomputes
 * each definition from scratch (docs/scores.md), on random embeddings with random opening lengths,
 * windows, radius limits and thresholds. Both work on the same quantised vectors, so they must agree
 * exactly; quantisation itself is checked against float cosines in QuantizedVectorTest.
 */
class SemanticCoherenceTest {

  @Test
  void incrementalScoresEqualTheBruteForceDefinitions() {
    Random random = new Random(42);
    for (int trial = 0; trial < 300; trial++) {
      int dims = 4 + random.nextInt(12);
      int k = 1 + random.nextInt(6);
      int m = random.nextInt(4);
      int r = 1 + random.nextInt(6);
      double theta = random.nextDouble() * 1.2 - 0.4;
      boolean prompt = random.nextBoolean();
      int n = 1 + random.nextInt(25);
      int w = 4 + random.nextInt(10);
      // Vectors drawn around a few topics, so that similarities spread across the threshold.
      float[][] topics = {unit(random, dims), unit(random, dims), unit(random, dims)};

      SemanticCoherence incremental = new SemanticCoherence();
      List<QuantizedVector> anchorParts = new ArrayList<>();
      List<QuantizedVector> vectors = new ArrayList<>();
      List<Long> lengths = new ArrayList<>();
      List<Double> locals = new ArrayList<>();
      List<Double> globals = new ArrayList<>();
      List<Double> radii = new ArrayList<>();
      float[] promptVector = null;
      if (prompt) {
        float[] p = near(random, topics[0]);
        promptVector = p;
        incremental.observePrompt(p);
        anchorParts.add(QuantizedVector.of(p));
      }
      QuantizedVector anchor = null;
      for (int i = 0; i < n; i++) {
        float[] e = near(random, topics[random.nextInt(topics.length)]);
        long tokens = 1 + random.nextInt(40);
        SemanticCoherence.Reading reading = incremental.observe(e, i < m, tokens, 1000L + i, k, r, theta, w);
        QuantizedVector q = QuantizedVector.of(e);

        double local = Double.NaN;
        double radius = Double.NaN;
        if (i > 0) {
          local = q.cosine(vectors.get(i - 1));
          locals.add(local);
          radius = 0;
          long covered = 0;
          for (int j = i - 1; j >= Math.max(0, i - r); j--) {
            if (q.cosine(vectors.get(j)) < theta) {
              break;
            }
            covered += lengths.get(j);
            radius = covered;
          }
          radii.add(radius);
        }
        double global = Double.NaN;
        if (i < m) {
          anchorParts.add(q);
        } else {
          if (anchor == null && !anchorParts.isEmpty()) {
            anchor = SemanticCoherence.mean(anchorParts);
          }
          if (anchor != null) {
            global = q.cosine(anchor);
            globals.add(global);
          }
        }
        vectors.add(q);
        lengths.add(tokens);

        // The change point, from scratch: every split of the prompt and the last w sentences.
        List<QuantizedVector> items = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        if (prompt) {
          items.add(QuantizedVector.of(promptVector));
          seqs.add(-1L);
        }
        for (int j = Math.max(0, vectors.size() - w); j < vectors.size(); j++) {
          if (lengths.get(j) >= SemanticCoherence.MIN_SHIFT_TOKENS) {
            items.add(vectors.get(j));
            seqs.add(1000L + j);
          }
        }
        double bestShift = Double.NaN;
        long bestSeq = -1;
        for (int split = SemanticCoherence.MIN_BEFORE_SHIFT; split <= items.size() - SemanticCoherence.MIN_AFTER_SHIFT; split++) {
          double shift = energy(items, split);
          if (bestSeq < 0 || shift > bestShift) {
            bestShift = shift;
            bestSeq = seqs.get(split);
          }
        }
        assertSame(reading.topicShift(), bestShift);
        assertThat(reading.shiftSeq()).isEqualTo(bestSeq);

        assertSame(reading.sentenceCoherence(), local);
        assertSame(reading.sentenceRadius(), radius);
        assertSame(reading.sentenceGlobal(), global);
        assertSame(incremental.localCoherence(), meanOfLast(locals, k));
        assertSame(incremental.globalCommitment(), meanOfLast(globals, k));
        assertSame(incremental.driftIndex(), meanOfLast(locals, k) - meanOfLast(globals, k));
        assertSame(incremental.coherenceRadius(), medianOfLast(radii, k));
      }
    }
  }

  /** The energy statistic of a split, straight from its definition: mean inner similarity minus mean cross similarity. */
  private static double energy(List<QuantizedVector> items, int split) {
    List<Double> before = new ArrayList<>();
    List<Double> after = new ArrayList<>();
    List<Double> cross = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      for (int j = i + 1; j < items.size(); j++) {
        double c = items.get(i).cosine(items.get(j));
        (j < split ? before : i >= split ? after : cross).add(c);
      }
    }
    double b = before.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double a = after.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    if (Double.isNaN(b)) {
      b = a;
    }
    if (Double.isNaN(a)) {
      a = b;
    }
    int n = items.size();
    return Math.sqrt((double) split * (n - split) / n) * ((b + a) / 2 - cross.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
  }

  @Test
  void aSpliceIsFoundWhereItHappened() {
    Random random = new Random(8);
    float[] home = unit(random, 64);
    float[] away = unit(random, 64);
    SemanticCoherence s = new SemanticCoherence();
    s.observePrompt(near(random, home));
    SemanticCoherence.Reading reading = null;
    for (int i = 0; i < 10; i++) {
      reading = s.observe(near(random, i < 6 ? home : away), i < 3, 20, i * 20L, 4, 8, 0.5, 12);
    }
    assertThat(reading.shiftSeq()).isEqualTo(120);
    assertThat(reading.topicShift()).isGreaterThan(0.5);
  }

  @Test
  void aGenerationThatLeavesItsAnchorHasAPositiveDriftIndex() {
    Random random = new Random(5);
    float[] home = unit(random, 64);
    float[] away = unit(random, 64);
    SemanticCoherence s = new SemanticCoherence();
    s.observePrompt(near(random, home));
    for (int i = 0; i < 6; i++) {
      s.observe(near(random, home), i < 3, 20, i * 20L, 4, 8, 0.5, 12);
    }
    double before = s.driftIndex();
    for (int i = 0; i < 6; i++) {
      s.observe(near(random, away), false, 20, 120 + i * 20L, 4, 8, 0.5, 12);
    }
    assertThat(before).isLessThan(0.1);
    assertThat(s.driftIndex()).isGreaterThan(0.5);
    // Each sentence since the switch reaches back over the earlier ones since the switch (20 tokens
    // each): the last four reach 40, 60, 80 and 100 tokens, median 70.
    assertThat(s.coherenceRadius()).isEqualTo(70.0);
  }

  private static void assertSame(double actual, double expected) {
    if (Double.isNaN(expected)) {
      assertThat(actual).isNaN();
    } else {
      assertThat(actual).isEqualTo(expected, within(1e-12));
    }
  }

  private static double meanOfLast(List<Double> values, int k) {
    List<Double> last = values.subList(Math.max(0, values.size() - k), values.size());
    return last.isEmpty() ? Double.NaN : last.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static double medianOfLast(List<Double> values, int k) {
    double[] last = values.subList(Math.max(0, values.size() - k), values.size()).stream().mapToDouble(Double::doubleValue).toArray();
    if (last.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(last);
    return last.length % 2 == 1 ? last[last.length / 2] : (last[last.length / 2 - 1] + last[last.length / 2]) / 2;
  }

  static float[] unit(Random random, int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return normalise(v);
  }

  static float[] near(Random random, float[] centre) {
    float[] v = new float[centre.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = centre[i] + (float) (random.nextGaussian() * 0.6 / Math.sqrt(centre.length));
    }
    return normalise(v);
  }

  private static float[] normalise(float[] v) {
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }
}
