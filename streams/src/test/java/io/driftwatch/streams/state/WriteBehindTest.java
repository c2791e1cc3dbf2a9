package io.driftwatch.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteBehind} against the obvious oracle, a map written through at every put: whatever the
 * sequence of operations, reading through (live value, else the store) gives what the oracle holds,
 * and after {@link WriteBehind#writePending()} the store equals it.
 */
class WriteBehindTest {

  @Test
  void writesEachChangedValueOnceInItsLatestForm() {
    Map<String, List<Integer>> store = new HashMap<>();
    List<String> writes = new ArrayList<>();
    WriteBehind<String, List<Integer>> cache = new WriteBehind<>(10, (k, v) -> {
      writes.add(k);
      store.put(k, List.copyOf(v));
    });
    List<Integer> state = new ArrayList<>();
    for (int token = 0; token < 100; token++) {
      state.add(token);
      cache.put("g-1", state); // the same mutable object, put again after each change
    }
    assertThat(writes).isEmpty();
    assertThat(cache.pendingCount()).isEqualTo(1);

    cache.writePending();

    assertThat(writes).containsExactly("g-1");
    assertThat(store.get("g-1")).hasSize(100);
    assertThat(cache.get("g-1")).isSameAs(state);
    cache.writePending();
    assertThat(writes).as("nothing changed since").hasSize(1);
  }

  @Test
  void aValuePushedOutWhilePendingIsWrittenAtOnce() {
    Map<String, Integer> store = new HashMap<>();
    WriteBehind<String, Integer> cache = new WriteBehind<>(2, store::put);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.get("a"); // b is now the least recently used
    cache.put("c", 3);

    assertThat(store).containsExactly(Map.entry("b", 2));
    assertThat(cache.get("b")).isNull();
    assertThat(cache.liveCount()).isEqualTo(2);
    assertThat(cache.pendingCount()).isEqualTo(2);
  }

  @Test
  void discardedValuesAreNeverWritten() {
    Map<String, Integer> store = new HashMap<>(Map.of("a", 1));
    WriteBehind<String, Integer> cache = new WriteBehind<>(4, store::put);
    cache.put("a", 2);
    cache.discard("a");
    cache.writePending();

    assertThat(store).containsExactly(Map.entry("a", 1));
    assertThat(cache.get("a")).isNull();
  }

  @Test
  void clearForgetsEverythingWrittenOrNot() {
    Map<String, Integer> store = new HashMap<>();
    WriteBehind<String, Integer> cache = new WriteBehind<>(4, store::put);
    cache.put("a", 1);
    cache.writePending();
    cache.put("b", 2);
    cache.clear();
    cache.writePending();

    assertThat(store).containsExactly(Map.entry("a", 1));
    assertThat(cache.liveCount()).isZero();
  }

  @Test
  void aValueTheWriterFailedOnIsStillPendingAtTheNextWrite() {
    Map<String, Integer> store = new HashMap<>();
    boolean[] failing = {true};
    WriteBehind<String, Integer> cache = new WriteBehind<>(10, (k, v) -> {
      if (failing[0]) {
        throw new IllegalStateException("store unavailable");
      }
      store.put(k, v);
    });
    cache.put("a", 1);
    assertThatThrownBy(cache::writePending).isInstanceOf(IllegalStateException.class);
    assertThat(cache.pendingCount()).isEqualTo(1);

    failing[0] = false;
    cache.writePending();
    assertThat(store).containsExactly(Map.entry("a", 1));
    assertThat(cache.pendingCount()).isZero();
  }

  @Test
  void refusesAnEmptyCapacity() {
    assertThatThrownBy(() -> new WriteBehind<String, Integer>(0, (k, v) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }

  @Test
  void readingThroughAlwaysEqualsAWriteThroughMap() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int round = 0; round < 300; round++) {
      int capacity = 1 + random.nextInt(6);
      int keys = 1 + random.nextInt(12);
      Map<Integer, Integer> store = new HashMap<>();
      // The oracle: what the store would hold had every put been written at once.
      Map<Integer, Integer> oracle = new HashMap<>();
      int[] writes = {0};
      WriteBehind<Integer, Integer> cache = new WriteBehind<>(capacity, (k, v) -> {
        writes[0]++;
        store.put(k, v);
      });
      int puts = 0;
      for (int op = 0; op < 200; op++) {
        int key = random.nextInt(keys);
        switch (random.nextInt(10)) {
          case 0 -> discard(cache, key, store, oracle);
          case 1 -> cache.writePending();
          case 2 -> {
            Integer live = cache.get(key);
            assertThat(live == null ? store.get(key) : live).as("seed %d, round %d, key %d", seed, round, key)
                .isEqualTo(oracle.get(key));
          }
          case 3 -> cache.write(key);
          default -> {
            int value = random.nextInt(1000);
            cache.put(key, value);
            oracle.put(key, value);
            puts++;
          }
        }
        assertThat(cache.liveCount()).isLessThanOrEqualTo(capacity);
        assertThat(cache.pendingCount()).isLessThanOrEqualTo(cache.liveCount());
        for (int k = 0; k < keys; k++) {
          Integer live = cache.get(k);
          assertThat(live == null ? store.get(k) : live).as("seed %d, round %d, key %d", seed, round, k).isEqualTo(oracle.get(k));
        }
      }
      cache.writePending();
      assertThat(cache.pendingCount()).isZero();
      assertThat(store).as("seed %d, round %d", seed, round).isEqualTo(oracle);
      assertThat(writes[0]).as("never more writes than puts").isLessThanOrEqualTo(puts);
    }
  }

  @Test
  void heavyValuesPushOutTheLeastRecentlyUsedUntilTheBudgetHolds() {
    Map<String, Integer> store = new HashMap<>();
    WriteBehind<String, Integer> cache = new WriteBehind<>(() -> 10, v -> v, store::put);
    cache.put("a", 3);
    cache.put("b", 3);
    cache.put("c", 3);
    cache.get("a"); // b is now the least recently used, then c
    assertThat(cache.weight()).isEqualTo(9);

    cache.put("d", 5);

    assertThat(store).as("b and c went, written as they were pending").containsOnly(Map.entry("b", 3), Map.entry("c", 3));
    assertThat(cache.weight()).isEqualTo(8);
    assertThat(cache.evictions()).isEqualTo(2);
    cache.put("e", 50);
    assertThat(cache.liveCount()).as("one value stays live whatever it weighs").isEqualTo(1);
    assertThat(cache.get("e")).isEqualTo(50);
  }

  @Test
  void aBudgetThatShrinksIsAppliedAtTheNextWrite() {
    long[] budget = {100};
    Map<String, Integer> store = new HashMap<>();
    WriteBehind<String, Integer> cache = new WriteBehind<>(() -> budget[0], v -> 10, store::put);
    for (int i = 0; i < 8; i++) {
      cache.put("k" + i, i);
    }
    budget[0] = 30; // another task joined
    cache.writePending();

    assertThat(cache.liveCount()).isEqualTo(3);
    assertThat(cache.get("k7")).isEqualTo(7);
    assertThat(cache.get("k0")).isNull();
    assertThat(store).hasSize(8);
  }

  @Test
  void aValueIsWeighedAgainOnceWritten() {
    // What a value weighs may change when it is written, as a state's size is known once encoded.
    Map<String, List<Integer>> store = new HashMap<>();
    WriteBehind<String, List<Integer>> cache = new WriteBehind<>(() -> 100, v -> 1 + v.size(), (k, v) -> {
      v.add(0);
      store.put(k, List.copyOf(v));
    });
    List<Integer> value = new ArrayList<>();
    cache.put("a", value);
    assertThat(cache.weight()).isEqualTo(1);
    cache.writePending();
    assertThat(cache.weight()).isEqualTo(2);
    cache.write("a");
    assertThat(cache.weight()).as("not pending: not written again").isEqualTo(2);
    cache.discard("a");
    assertThat(cache.weight()).isZero();
  }

  @Test
  void readingThroughUnderAWeightBudgetAlwaysEqualsAWriteThroughMap() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int round = 0; round < 300; round++) {
      long[] budget = {1 + random.nextInt(40)};
      int keys = 1 + random.nextInt(12);
      Map<Integer, Integer> store = new HashMap<>();
      Map<Integer, Integer> oracle = new HashMap<>();
      WriteBehind<Integer, Integer> cache = new WriteBehind<>(() -> budget[0], v -> 1 + v % 10, store::put);
      for (int op = 0; op < 200; op++) {
        int key = random.nextInt(keys);
        switch (random.nextInt(12)) {
          case 0 -> discard(cache, key, store, oracle);
          case 1 -> cache.writePending();
          case 2 -> budget[0] = 1 + random.nextInt(40);
          default -> {
            int value = random.nextInt(1000);
            cache.put(key, value);
            oracle.put(key, value);
            assertThat(cache.weight() <= budget[0] || cache.liveCount() == 1).as("seed %d, round %d", seed, round).isTrue();
          }
        }
        long weight = 0;
        for (int k = 0; k < keys; k++) {
          Integer live = cache.get(k);
          if (live != null) {
            weight += 1 + live % 10;
          }
          assertThat(live == null ? store.get(k) : live).as("seed %d, round %d, key %d", seed, round, k).isEqualTo(oracle.get(k));
        }
        assertThat(cache.weight()).as("seed %d, round %d: the sum of the live weights", seed, round).isEqualTo(weight);
      }
      cache.writePending();
      assertThat(store).as("seed %d, round %d", seed, round).isEqualTo(oracle);
    }
  }

  /** Discards the key's live value; by definition of discard, the oracle goes back to what the store holds. */
  private static void discard(WriteBehind<Integer, Integer> cache, int key, Map<Integer, Integer> store, Map<Integer, Integer> oracle) {
    cache.discard(key);
    oracle.remove(key);
    if (store.containsKey(key)) {
      oracle.put(key, store.get(key));
    }
  }
}
