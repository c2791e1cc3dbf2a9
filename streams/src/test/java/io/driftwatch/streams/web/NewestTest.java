package io.driftwatch.streams.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NewestTest {

  /** Items with ties on the first key, told apart by the second, as views by time and then id. */
  private record Item(int time, String id) {}

  private static final Comparator<Item> LATEST_FIRST = Comparator.comparingInt(Item::time).reversed().thenComparing(Item::id);

  @Test
  void keepsWhatSortingEverythingAndTakingTheHeadKeeps() {
    Random random = new Random(7);
    for (int run = 0; run < 2_000; run++) {
      int limit = random.nextInt(8);
      Newest<Item> newest = new Newest<>(limit, LATEST_FIRST);
      List<Item> all = new ArrayList<>();
      int n = random.nextInt(40);
      for (int i = 0; i < n; i++) {
        Item item = new Item(random.nextInt(6), "g-" + random.nextInt(1_000_000));
        all.add(item);
        newest.add(item);
      }
      List<Item> oracle = all.stream().sorted(LATEST_FIRST).limit(limit).toList();
      assertThat(newest.list()).as("run %d", run).isEqualTo(oracle);
    }
  }

  @Test
  void aLimitOfZeroKeepsNothing() {
    Newest<Item> none = new Newest<>(0, LATEST_FIRST);
    none.add(new Item(1, "a"));
    assertThat(none.list()).isEmpty();
  }
}
