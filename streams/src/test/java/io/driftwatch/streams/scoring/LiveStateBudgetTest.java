package io.driftwatch.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.scoring.engine.GenerationState;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.engine.StateCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveStateBudgetTest {

  @Test
  void theTasksThatHoldTheBudgetShareItEquallyAboveAFloor() {
    LiveStateBudget budget = new LiveStateBudget(110L * 1024 * 1024);
    long whole = 110L * 1024 * 1024 / LiveStateBudget.HEAP_PER_ENCODED_BYTE;
    assertThat(budget.taskShare()).as("no task yet: one would have it all").isEqualTo(whole);
    budget.join();
    budget.join();
    assertThat(budget.taskShare()).isEqualTo(whole / 2);
    for (int i = 0; i < 98; i++) {
      budget.join();
    }
    assertThat(budget.taskShare()).as("100 tasks: the floor").isEqualTo(LiveStateBudget.MIN_TASK_SHARE);
    for (int i = 0; i < 99; i++) {
      budget.leave();
    }
    assertThat(budget.tasks()).isEqualTo(1);
    assertThat(budget.taskShare()).isEqualTo(whole);
  }

  @Test
  void aPercentOfTheHeapIsThatShareOfTheMaximumHeap() {
    LiveStateBudget budget = LiveStateBudget.ofHeapPercent(25);
    long expected = Runtime.getRuntime().maxMemory() / 100 * 25 / LiveStateBudget.HEAP_PER_ENCODED_BYTE;
    assertThat(budget.taskShare()).isEqualTo(Math.max(LiveStateBudget.MIN_TASK_SHARE, expected));
  }

  @Test
  void refusesAnEmptyHeap() {
    assertThatThrownBy(() -> new LiveStateBudget(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
  }

  @Test
  void aStateWeighsItsLatestEncodingAndAtLeastAnOrdinaryOne() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, false);
    InMemoryGenerationStore store = InMemoryGenerationStore.live(); // no round trip: nothing encoded yet
    Instant t0 = Instant.parse("2026-12-05T06:00:00Z");
    engine.process(new GenerationEvent.Start(1, "g", "run", "model", "Tell a story.", null, Map.of(), t0), store);
    GenerationState fresh = store.get("g");
    assertThat(fresh.encodedBytes()).isZero();
    assertThat(LiveStateBudget.weight(new OpenGeneration(0, fresh))).isEqualTo(LiveStateBudget.MIN_STATE_WEIGHT);

    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      text.append(" Word").append(i).append(i % 9 == 8 ? "." : "");
    }
    engine.process(new GenerationEvent.Token(1, "g", 0L, text.toString(), null, null, null, t0.plusMillis(10)), store);
    GenerationState grown = store.get("g");
    byte[] encoded = StateCodec.encode(grown);
    assertThat(grown.encodedBytes()).isEqualTo(encoded.length);
    assertThat(encoded.length).isGreaterThan((int) LiveStateBudget.MIN_STATE_WEIGHT);
    assertThat(LiveStateBudget.weight(new OpenGeneration(0, grown))).isEqualTo(encoded.length);
    assertThat(StateCodec.decode(encoded).encodedBytes()).as("a decoded state weighs its bytes").isEqualTo(encoded.length);
  }
}
