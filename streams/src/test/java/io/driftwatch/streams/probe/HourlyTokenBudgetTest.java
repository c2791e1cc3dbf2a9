package io.driftwatch.streams.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.scoring.radius.BudgetExhaustedException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HourlyTokenBudgetTest {

  private static final long HOUR = 3_600_000L;

  @Test
  void theBudgetHoldsWithinAnHourAndStartsAfreshInTheNext() throws Exception {
    AtomicLong now = new AtomicLong(5 * HOUR + 10);
    HourlyTokenBudget budget = new HourlyTokenBudget(100, now::get);
    budget.current().reserve(60);
    now.set(6 * HOUR - 1);
    assertThat(budget.current().fits(41)).isFalse();
    assertThatThrownBy(() -> budget.current().reserve(41)).isInstanceOf(BudgetExhaustedException.class);
    budget.current().reserve(40);

    now.set(6 * HOUR);
    assertThat(budget.current().spent()).isZero();
    assertThat(budget.current().fits(100)).isTrue();
    assertThat(budget.current().fits(101)).isFalse();
  }

  @Test
  void aBudgetTakenBeforeTheHourTurnsIsStillThatHours() throws Exception {
    AtomicLong now = new AtomicLong(HOUR - 1);
    HourlyTokenBudget budget = new HourlyTokenBudget(10, now::get);
    var taken = budget.current();
    now.set(HOUR);
    taken.reserve(10);
    assertThat(budget.current().spent()).as("the new hour's").isZero();
  }
}
