package io.driftwatch.scoring.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The int8 form every stored embedding takes: close enough to the float vector for the scores, the same
 * bytes for the same input (replays are byte-identical), and a clear failure when two models meet.
 */
class QuantizedVectorTest {

  @Test
  void quantisedCosinesStayCloseToExactOnes() {
    Random random = new Random(3);
    for (int i = 0; i < 1000; i++) {
      float[] a = unit(random, 384);
      float[] b = random.nextBoolean() ? near(random, a) : unit(random, 384);
      double exact = dot(a, b);
      assertThat(QuantizedVector.of(a).cosine(QuantizedVector.of(b))).isCloseTo(exact, within(0.01));
      assertThat(QuantizedVector.of(a).cosine(b)).isCloseTo(exact, within(0.01));
    }
  }

  @Test
  void theLargestComponentTakesTheFullByteRange() {
    QuantizedVector q = QuantizedVector.of(new float[] {0.6f, -0.8f, 0f});
    assertThat(q.values()).containsExactly((byte) 95, (byte) -127, (byte) 0);
    assertThat(q.scale()).isEqualTo(0.8f / 127f);
  }

  @Test
  void aVectorHasItsOwnCosineOfOneAndItsOppositeMinusOne() {
    float[] a = unit(new Random(7), 384);
    float[] minusA = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      minusA[i] = -a[i];
    }
    QuantizedVector q = QuantizedVector.of(a);
    assertThat(q.cosine(q)).isCloseTo(1.0, within(1e-12));
    assertThat(q.cosine(QuantizedVector.of(minusA))).isCloseTo(-1.0, within(1e-12));
  }

  @Test
  void theZeroVectorIsOrthogonalToEverything() {
    QuantizedVector zero = QuantizedVector.of(new float[4]);
    assertThat(zero.values()).containsOnly((byte) 0);
    assertThat(zero.cosine(QuantizedVector.of(new float[] {1, 0, 0, 0}))).isZero();
    assertThat(zero.cosine(new float[] {1, 0, 0, 0})).isZero();
  }

  @Test
  void theSameVectorAlwaysGivesTheSameBytes() {
    Random random = new Random(11);
    for (int i = 0; i < 100; i++) {
      float[] v = unit(random, 384);
      QuantizedVector first = QuantizedVector.of(v);
      QuantizedVector second = QuantizedVector.of(v.clone());
      assertThat(second.values()).isEqualTo(first.values());
      assertThat(second.scale()).isEqualTo(first.scale());
    }
  }

  @Test
  void vectorsOfAnotherSizeAreRefusedWithTheLikelyCause() {
    QuantizedVector stored = QuantizedVector.of(unit(new Random(1), 384));
    QuantizedVector other = QuantizedVector.of(unit(new Random(2), 768));
    assertThatThrownBy(() -> stored.cosine(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("768").hasMessageContaining("384").hasMessageContaining("embedding model changed");
    assertThatThrownBy(() -> stored.cosine(new float[768])).isInstanceOf(IllegalArgumentException.class);
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * (double) b[i];
    }
    return sum;
  }

  private static float[] unit(Random random, int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return normalised(v);
  }

  /** A unit vector at a random small angle from {@code centre}. */
  private static float[] near(Random random, float[] centre) {
    float[] v = new float[centre.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = centre[i] + 0.05f * (float) random.nextGaussian();
    }
    return normalised(v);
  }

  private static float[] normalised(float[] v) {
    double norm = Math.sqrt(dot(v, v));
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }
}
