package io.driftwatch.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdleIndexTest {

  @Test
  void findsExactlyTheGenerationsLastSeenAtOrBeforeTheCutoff() {
    IdleIndex index = new IdleIndex(1000);
    index.touch("a", 10_000);
    index.touch("b", 10_999);
    index.touch("c", 11_000);
    index.touch("a", 12_500);
    assertThat(index.idleSince(10_999)).containsExactly("b");
    assertThat(index.idleSince(10_998)).isEmpty();
    assertThat(index.idleSince(12_500)).containsExactlyInAnyOrder("a", "b", "c");
    index.remove("b");
    assertThat(index.idleSince(12_000)).containsExactly("c");
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void agreesWithAFullScanOnRandomTraffic() {
    Random random = new Random(19);
    IdleIndex index = new IdleIndex(1000);
    Map<String, Long> truth = new HashMap<>();
    long now = 1_000_000;
    for (int step = 0; step < 50_000; step++) {
      now += random.nextInt(20);
      String id = "g-" + random.nextInt(500);
      // Mostly forward, sometimes an earlier time (a rebuilt state takes its stored time back).
      long at = random.nextInt(50) == 0 ? now - random.nextInt(30_000) : now;
      if (random.nextInt(40) == 0) {
        index.remove(id);
        truth.remove(id);
      } else {
        index.touch(id, at);
        truth.put(id, at);
      }
      if (step % 997 == 0) {
        long cutoff = now - random.nextInt(60_000);
        assertThat(index.idleSince(cutoff)).containsExactlyInAnyOrderElementsOf(
            truth.entrySet().stream().filter(e -> e.getValue() <= cutoff).map(Map.Entry::getKey).toList());
        assertThat(index.size()).isEqualTo(truth.size());
      }
    }
  }
}
