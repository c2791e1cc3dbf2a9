package io.driftwatch.scoring.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The comparison's statistics against brute-force oracles, on many random samples (with ties). */
class StatisticsOracleTest {

  @Test
  void cliffsDeltaAndTheMeanDifferenceMatchCountingEveryPair() {
    Random random = new Random(3);
    for (int trial = 0; trial < 300; trial++) {
      double[] a = sample(random, 1 + random.nextInt(40));
      double[] b = sample(random, 1 + random.nextInt(40));
      Difference d = Difference.of("s", "a", a, "b", b, 200, 0.95, new SplittableRandom(trial));
      double greater = 0;
      for (double x : b) {
        for (double y : a) {
          greater += x > y ? 1 : x == y ? 0.5 : 0;
        }
      }
      double oracleDelta = 2 * greater / ((double) a.length * b.length) - 1;
      assertThat(d.cliffsDelta()).as("trial %d", trial).isCloseTo(oracleDelta, within(1e-9));
      assertThat(d.meanDifference()).isCloseTo(Arrays.stream(b).average().orElseThrow() - Arrays.stream(a).average().orElseThrow(),
          within(1e-9));
      assertThat(d.low()).isLessThanOrEqualTo(d.high());
      assertThat(d.rankTestP()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void distributionMatchesTheSortedSample() {
    Random random = new Random(4);
    for (int trial = 0; trial < 200; trial++) {
      double[] v = sample(random, 1 + random.nextInt(60));
      Distribution d = Distribution.of(v);
      double[] sorted = v.clone();
      Arrays.sort(sorted);
      int n = v.length;
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      double mean = Arrays.stream(v).average().orElseThrow();
      double sd = n > 1 ? Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (n - 1)) : 0;
      assertThat(d.p50()).isCloseTo(median, within(1e-9));
      assertThat(d.mean()).isCloseTo(mean, within(1e-9));
      assertThat(d.sd()).isCloseTo(sd, within(1e-9));
      assertThat(d.min()).isEqualTo(sorted[0]);
      assertThat(d.max()).isEqualTo(sorted[n - 1]);
      assertThat(new double[] {d.min(), d.p05(), d.p25(), d.p50(), d.p75(), d.p95(), d.max()}).isSorted();
    }
  }

  @Test
  void sharedHistogramPutsEachValueInTheBinThatHoldsIt() {
    Random random = new Random(5);
    for (int trial = 0; trial < 200; trial++) {
      double[] a = sample(random, 1 + random.nextInt(50));
      double[] b = sample(random, 1 + random.nextInt(50));
      int bins = 1 + random.nextInt(25);
      SharedHistogram h = SharedHistogram.of(Map.of("a", a, "b", b), bins);
      for (Map.Entry<String, double[]> run : Map.of("a", a, "b", b).entrySet()) {
        long[] oracle = new long[bins];
        for (double v : run.getValue()) {
          for (int i = 0; i < bins; i++) {
            double lo = h.lower() + i * h.width();
            boolean last = i == bins - 1;
            if (v >= lo - 1e-12 && (v < lo + h.width() - 1e-12 || last)) {
              oracle[i]++;
              break;
            }
          }
        }
        assertThat(h.counts().get(run.getKey())).as("trial %d", trial).containsExactly(oracle);
      }
    }
  }

  @Test
  void wilsonIntervalsAreTheTextbookOnes() {
    // Wilson (1927) at 95%: 0 of 10 gives [0, 0.2775]; 5 of 10 gives [0.2366, 0.7634].
    AlertRate none = AlertRate.of("r", "run", 0, 10, 0.95);
    assertThat(none.low()).isEqualTo(0.0);
    assertThat(none.high()).isCloseTo(0.2775, within(1e-4));
    AlertRate half = AlertRate.of("r", "run", 5, 10, 0.95);
    assertThat(half.low()).isCloseTo(0.2366, within(1e-4));
    assertThat(half.high()).isCloseTo(0.7634, within(1e-4));
  }

  /** Values on a coarse grid, so that ties are common. */
  private static double[] sample(Random random, int n) {
    double shift = random.nextInt(3) * 0.5;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.round((random.nextGaussian() + shift) * 4) / 4.0;
    }
    return v;
  }
}
