package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ResponseGuardTest {

  private final ResponseGuard guard = new ResponseGuard(new GuardSettings(Set.of("loop"), "content_filter", false, null, new InFlightGenerations()));

  @Test
  void onlyTheFirstDecisionOfAResponseCounts() {
    StopDecision first = new StopDecision("r:0", "loop", "in_process", 40, " again", 0);
    assertThat(guard.decide(first)).isTrue();
    assertThat(guard.decide(new StopDecision("r:1", "loop", "in_process", 50, " again", 0))).isFalse();
    assertThat(guard.decision()).isSameAs(first);
    assertThat(guard.mustStop()).isTrue();
  }

  @Test
  void aDecisionReleasedBecauseItsChoiceHadEndedLetsAnotherChoicesTripCount() {
    StopDecision late = new StopDecision("r:0", "loop", "in_process", 40, " again", 0);
    guard.decide(late);
    guard.release(late); // choice 0 ended in the read that tripped it
    assertThat(guard.mustStop()).isFalse();
    StopDecision next = new StopDecision("r:1", "loop", "in_process", 50, " again", 0);
    assertThat(guard.decide(next)).isTrue();
    guard.release(late); // a stale release does not drop the newer decision
    assertThat(guard.decision()).isSameAs(next);
    assertThat(guard.decisionFor("r:1")).isSameAs(next);
  }
}
