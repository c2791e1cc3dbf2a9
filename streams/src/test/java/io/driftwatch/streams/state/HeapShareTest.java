package io.driftwatch.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapShareTest {

  @Test
  void theTasksThatHoldTheShareSplitItEquallyAboveAFloor() {
    HeapShare share = new HeapShare(100_000_000, 2_000_000);
    assertThat(share.taskShare()).as("no task yet: one would have it all").isEqualTo(100_000_000);
    List<Object> tasks = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      tasks.add(new Object());
    }
    share.join(tasks.get(0));
    share.join(tasks.get(1));
    share.join(tasks.get(1)); // initialised again: still one holder
    assertThat(share.taskShare()).isEqualTo(50_000_000);
    tasks.forEach(share::join);
    assertThat(share.taskShare()).as("100 tasks: the floor").isEqualTo(2_000_000);
    tasks.subList(1, 100).forEach(share::leave);
    share.leave(tasks.get(5)); // closed twice
    assertThat(share.tasks()).isEqualTo(1);
    assertThat(share.taskShare()).isEqualTo(100_000_000);
  }

  @Test
  void aPercentOfTheHeapIsThatShareOfTheMaximumHeap() {
    HeapShare share = HeapShare.ofHeapPercent(25, 1);
    assertThat(share.taskShare()).isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 25);
  }

  @Test
  void refusesAnEmptyShare() {
    assertThatThrownBy(() -> new HeapShare(0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> new HeapShare(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
