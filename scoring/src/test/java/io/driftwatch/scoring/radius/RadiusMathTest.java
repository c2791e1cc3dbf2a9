package io.driftwatch.scoring.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The probe's arithmetic: ladder, radius, fit, per-model means, pacing and budget. */
class RadiusMathTest {

  @Test
  void theLadderDoublesBelowTheFullContextAndEndsWithIt() {
    assertThat(new ContextLadder(8).rungs(100)).containsExactly(8, 16, 32, 64, 100);
    assertThat(new ContextLadder(8).rungs(64)).containsExactly(8, 16, 32, 64);
    assertThat(new ContextLadder(8).rungs(5)).containsExactly(5);
    assertThat(new ContextLadder(1).rungs(3)).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> new ContextLadder(0)).hasMessageContaining("at least 1 token");
  }

  @Test
  void theRadiusIsTheShortestContextWithinTheToleranceOfFull() {
    LossCurve curve = new LossCurve(List.of(8, 16, 32, 50), List.of(3.0, 2.5, 2.09, 2.0), List.of(2.0, 2.05, 2.05, 2.0));
    assertThat(curve.radius(0.05)).isEqualTo(32);
    assertThat(curve.radius(0.5)).isEqualTo(16);
    assertThat(curve.radius(0.0)).isEqualTo(50);
    assertThat(curve.contextGain()).isEqualTo(1.0);
    assertThat(curve.adjustedNll(1)).isCloseTo(2.45, within(1e-12));
    assertThatThrownBy(() -> curve.radius(-1)).hasMessageContaining("tolerance");
    assertThatThrownBy(() -> new LossCurve(List.of(8, 8), List.of(1.0, 1.0), List.of(1.0, 1.0))).hasMessageContaining("ascend");
  }

  @Test
  void aLooserToleranceNeverGivesALongerRadiusAndTheRadiusIsWithinIt() {
    Random random = new Random(3);
    for (int trial = 0; trial < 500; trial++) {
      List<Integer> ms = new ArrayList<>();
      List<Double> nll = new ArrayList<>();
      List<Double> reference = new ArrayList<>();
      int n = 1 + random.nextInt(8);
      for (int i = 0; i < n; i++) {
        ms.add(1 << i);
        double ref = random.nextDouble() * 3;
        reference.add(ref);
        nll.add(i == n - 1 ? ref : ref + random.nextGaussian() * 0.3);
      }
      LossCurve curve = new LossCurve(ms, nll, reference);
      double tight = random.nextDouble() * 0.2;
      double loose = tight + random.nextDouble() * 0.5;
      assertThat(curve.radius(loose)).isLessThanOrEqualTo(curve.radius(tight));
      int at = ms.indexOf(curve.radius(tight));
      assertThat(curve.excess(at)).isLessThanOrEqualTo(tight);
      for (int i = 0; i < at; i++) {
        assertThat(curve.excess(i)).isGreaterThan(tight);
      }
    }
  }

  @Test
  void theFitRecoversAKnownPowerLaw() {
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      double floor = 1 + random.nextDouble() * 2;
      double scale = 0.5 + random.nextDouble() * 5;
      double exponent = 0.1 + random.nextDouble() * 1.5;
      List<Integer> ms = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int m = 8; m <= 4096; m *= 2) {
        ms.add(m);
        ys.add(floor + scale * Math.pow(m, -exponent));
      }
      // Build the curve so that its adjusted losses are exactly the power law: reference = full-context loss.
      double full = ys.get(ys.size() - 1);
      PowerLawFit fit = PowerLawFit.fit(new LossCurve(ms, ys, ys.stream().map(y -> full).toList()));
      assertThat(fit.rSquared()).isGreaterThan(0.999);
      for (int i = 0; i < ms.size(); i++) {
        assertThat(fit.at(ms.get(i))).isCloseTo(ys.get(i), within(0.01 * scale));
      }
      assertThat(fit.exponent()).isCloseTo(exponent, within(0.05 * exponent + 0.02));
    }
    assertThat(PowerLawFit.fit(new LossCurve(List.of(8, 16), List.of(2.0, 1.0), List.of(1.0, 1.0)))).isNull();
  }

  @Test
  void aModelsCurveCountsShortGenerationsAtTheirFullContextBeyondIt() {
    RadiusByModel byModel = new RadiusByModel(2, 0.05);
    byModel.add(new GenerationRadius("a", "m", new LossCurve(List.of(8, 16, 20), List.of(3.0, 2.0, 2.0), List.of(2.0, 2.0, 2.0)), 16, null, 4));
    byModel.add(new GenerationRadius("b", "m", new LossCurve(List.of(8, 16, 32, 40), List.of(4.0, 3.4, 3.2, 3.0),
        List.of(3.0, 3.0, 3.0, 3.0)), 32, null, 4));
    RadiusByModel.ModelRadius m = byModel.model("m");
    assertThat(m.curve().contexts()).containsExactly(8, 16, 32, 40);
    assertThat(m.curve().nll()).containsExactly(3.5, 2.7, 2.6, 2.5);
    assertThat(m.curve().reference()).containsExactly(2.5, 2.5, 2.5, 2.5);
    assertThat(m.radius()).isEqualTo(40);
    assertThat(m.generations()).isEqualTo(2);

    byModel.add(new GenerationRadius("c", "m", new LossCurve(List.of(8, 16), List.of(2.0, 2.0), List.of(2.0, 2.0)), 8, null, 4));
    assertThat(byModel.model("m").generations()).isEqualTo(2); // "a" left the window
    assertThat(byModel.model("other")).isNull();
  }

  @Test
  void thePacerSpacesRequestStartsWithoutBursts() throws InterruptedException {
    long[] now = {0};
    List<Long> sleeps = new ArrayList<>();
    RequestPacer pacer = new RequestPacer(4, () -> now[0], nanos -> {
      sleeps.add(nanos);
      now[0] += nanos;
    });
    pacer.await();
    pacer.await();
    now[0] += 100_000_000L; // 100 ms of work
    pacer.await();
    now[0] += 2_000_000_000L; // a long pause earns no burst afterwards
    pacer.await();
    pacer.await();
    assertThat(sleeps).containsExactly(250_000_000L, 150_000_000L, 250_000_000L);
    assertThatThrownBy(() -> RequestPacer.realTime(0)).hasMessageContaining("positive");
  }

  @Test
  void theBudgetRefusesWhatDoesNotFitAndReservesNothingThen() throws BudgetExhaustedException {
    TokenBudget budget = new TokenBudget(100);
    budget.reserve(60);
    assertThatThrownBy(() -> budget.reserve(41)).isInstanceOf(BudgetExhaustedException.class).hasMessageContaining("41 tokens and 40 are left");
    budget.reserve(40);
    assertThat(budget.spent()).isEqualTo(100);
    assertThat(budget.fits(1)).isFalse();
  }

  @Test
  void theCompletionsUrlAndSettingsNeverShowTheKey() {
    CompletionsClient.Settings s = new CompletionsClient.Settings(URI.create("http://gpu:8000/"), "m", "sk-abc", 3,
        Duration.ofMillis(1), Duration.ofSeconds(1));
    assertThat(s.completionsUri()).hasToString("http://gpu:8000/v1/completions");
    assertThat(new CompletionsClient.Settings(URI.create("https://h/vllm/v1"), "m", null, 1, Duration.ZERO, Duration.ofSeconds(1))
        .completionsUri()).hasToString("https://h/vllm/v1/completions");
    assertThat(s.toString()).doesNotContain("sk-abc").contains("apiKey=set");
    assertThatThrownBy(() -> new CompletionsClient.Settings(URI.create("http://user:pw@h"), "m", null, 1, Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("no credentials");
    assertThatThrownBy(() -> new CompletionsClient.Settings(URI.create("ftp://h"), "m", null, 1, Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("http://");
  }

  @Test
  void aRungScoresOnlyTheTokensThatSawAtMostTwiceItsContext() {
    ProbeSample s = new ProbeSample("g", "m", List.of("a", "b", "c", "d"), List.of("X", "Y", "Z"));
    assertThat(s.prompt(2, 2)).isEqualTo(new ProbeSample.Prompt("cdXY", 2, 2, 4));
    assertThat(s.prompt(4, 3)).isEqualTo(new ProbeSample.Prompt("abcdXYZ", 4, 3, 7));
    assertThatThrownBy(() -> s.prompt(5, 1)).hasMessageContaining("context of 5");
    assertThatThrownBy(() -> new ProbeSample("g", "m", List.of(), List.of("x"))).hasMessageContaining("no context");
  }
}
