package io.driftwatch.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The load-shedding policy alone, stepped by hand one measurement interval at a time. */
class SemanticShedderTest {

  private static final LoadShedding BOUNDS = new LoadShedding(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1));
  private static final List<String> IDS = IntStream.range(0, 20_000).mapToObj(i -> "gen-" + i).toList();

  private long now = 1_000_000;

  /** One interval in which {@code arrived} sentences completed and the model drained {@code drained}, leaving {@code waiting}. */
  private void interval(SemanticShedder shedder, int arrived, int drained, long waiting) {
    shedder.arrived(arrived);
    shedder.drained(drained);
    now += 1000;
    shedder.update(now, waiting);
  }

  private SemanticShedder started(long waiting) {
    SemanticShedder shedder = new SemanticShedder(BOUNDS);
    shedder.update(now, waiting);
    return shedder;
  }

  @Test
  void aModelThatKeepsUpShedsNothing() {
    SemanticShedder shedder = started(0);
    for (int i = 0; i < 30; i++) {
      interval(shedder, 100, 100, 40);
    }
    assertThat(shedder.shedding()).isFalse();
    assertThat(shedder.backlogSeconds()).isEqualTo(0.4, within(1e-9));
    assertThat(IDS).allMatch(shedder::admits);
  }

  @Test
  void aBacklogAboveTheBoundShedsAHashChosenShareTheModelCanKeepUpWith() {
    SemanticShedder shedder = started(0);
    long waiting = 0;
    // Three times as many sentences arrive as the model drains: the backlog grows by 200 a second.
    while (!shedder.shedding()) {
      waiting += 200;
      interval(shedder, 300, 100, waiting);
      assertThat(waiting).as("shedding should have started").isLessThan(2_000);
    }
    assertThat(shedder.backlogSeconds()).isGreaterThan(5);
    double expected = SemanticShedder.HEADROOM * 100 / 300.0;
    assertThat(shedder.keepShare()).isEqualTo(expected, within(0.05));
    long admitted = IDS.stream().filter(shedder::admits).count();
    assertThat(admitted / (double) IDS.size()).isEqualTo(shedder.keepShare(), within(0.02));
    // A generation's answer depends on its id and the share only: asked again, or by a twin policy
    // that measured the same, it is the same.
    List<Boolean> first = IDS.stream().map(shedder::admits).toList();
    assertThat(IDS.stream().map(shedder::admits).toList()).isEqualTo(first);
  }

  @Test
  void betweenTheBoundsTheStateHoldsEitherWayAndBelowTheLowerOneEveryGenerationIsScoredAgain() {
    SemanticShedder shedder = started(100);
    interval(shedder, 100, 100, 300); // measures 100 texts/s
    assertThat(shedder.shedding()).isFalse();
    interval(shedder, 100, 100, 450); // 4.5 s: under the upper bound
    assertThat(shedder.shedding()).isFalse();
    interval(shedder, 100, 100, 700); // 7 s
    assertThat(shedder.shedding()).isTrue();
    interval(shedder, 100, 100, 300); // 3 s: between the bounds, still shedding
    assertThat(shedder.shedding()).isTrue();
    interval(shedder, 100, 100, 150); // 1.5 s
    assertThat(shedder.shedding()).isTrue();
    interval(shedder, 100, 100, 50); // 0.5 s: recovered
    assertThat(shedder.shedding()).isFalse();
    assertThat(shedder.keepShare()).isEqualTo(1);
    assertThat(IDS).allMatch(shedder::admits);
  }

  @Test
  void aModelThatDrainsNothingWhileTextsWaitShedsEverythingUntilItDrainsAgain() {
    SemanticShedder shedder = started(0);
    interval(shedder, 50, 0, 50);
    interval(shedder, 50, 0, 100); // busy throughout, nothing drained
    assertThat(shedder.backlogSeconds()).isInfinite();
    assertThat(shedder.shedding()).isTrue();
    assertThat(IDS).noneMatch(shedder::admits);

    // The model answers again: the backlog goes, and then the shedding.
    interval(shedder, 10, 80, 30);
    interval(shedder, 10, 30, 10);
    interval(shedder, 10, 10, 1);
    assertThat(shedder.shedding()).isFalse();
    assertThat(IDS).allMatch(shedder::admits);
  }

  @Test
  void nothingIsMeasuredBeforeAWholeInterval() {
    SemanticShedder shedder = started(10_000);
    shedder.arrived(1_000);
    shedder.update(now + 999, 10_000);
    assertThat(shedder.shedding()).isFalse();
    assertThat(shedder.drainRate()).isNaN();
    assertThat(shedder.arrivalRate()).isNaN();
  }

  @Test
  void ranksSpreadEvenlyOverTheUnitInterval() {
    int[] deciles = new int[10];
    Random random = new Random(7);
    List<String> ids = new ArrayList<>(IDS);
    for (int i = 0; i < 20_000; i++) {
      ids.add(Long.toHexString(random.nextLong()));
    }
    for (String id : ids) {
      double rank = SemanticShedder.rank(id);
      assertThat(rank).isGreaterThanOrEqualTo(0).isLessThan(1);
      deciles[(int) (rank * 10)]++;
    }
    for (int count : deciles) {
      assertThat(count / (double) ids.size()).isEqualTo(0.1, within(0.01));
    }
    assertThat(SemanticShedder.rank("gen-42")).isEqualTo(SemanticShedder.rank(new String("gen-42")));
  }
}
