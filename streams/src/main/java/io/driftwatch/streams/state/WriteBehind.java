package io.driftwatch.streams.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The live values of a key-value store, written to the store later rather than at every change.
 *
 * <p>Kafka Streams serialises a value at every {@code put}, and Driftwatch changes a generation's state
 * (and its view) at every token: encoding it each time cost a third of the stream thread. Here a
 * changed value is only marked pending; {@link #writePending()} hands each pending value, in its
 * latest form, to the writer once. Run it right before each commit ({@link CommitHookStore}) and the
 * store holds, at every commit, exactly what writing through would have left there.
 *
 * <p>Bounded by weight, least recently used out: each value weighs what its weigher says (1 for a
 * plain capacity), and while the live values weigh more than the budget the least recently used go; a
 * value pushed out while pending is written at once, so nothing is lost and heap does not grow with
 * the number of keys. The budget may change between calls (a share of memory split among the tasks
 * that hold one); it is applied at the next {@link #put} or {@link #writePending()}. A value is
 * weighed when it is put and again after it is written (writing may change what it weighs, e.g. the
 * size of its last encoding). Not thread-safe: it belongs to one processor, on its stream thread.
 * Plain Java, so that it is tested without Kafka.
 *
 * @param <K> key
 * @param <V> value, usually mutable: the same object is changed, put again, and written once
 */
public final class WriteBehind<K, V> {

  private final BiConsumer<K, V> writer;
  private final LongSupplier budget;
  private final ToLongFunction<V> weigher;
  /**
   * The live values, access-ordered: the least recently used first. One map of slots rather than a map
   * of values beside a set of pending keys and a map of weights: a put, at every event, then costs one
   * lookup instead of three.
   */
  private final LinkedHashMap<K, Slot<K, V>> live = new LinkedHashMap<>(16, 0.75f, true);
  /**
   * The slots made pending since the last {@link #writePending()}, in that order. One no longer pending
   * (written, discarded or pushed out since) is skipped there; one made pending again is listed again.
   */
  private final List<Slot<K, V>> pending = new ArrayList<>();
  private int pendingCount;
  /** What the live values weighed when last weighed, together. */
  private long weight;
  private long evictions;

  /** A live value, what it weighed when last weighed, and whether the store has yet to get it. */
  private static final class Slot<K, V> {
    final K key;
    V value;
    long weight;
    boolean pending;

    Slot(K key) {
      this.key = key;
    }
  }

  /**
   * At most {@code capacity} values live.
   *
   * @param writer writes one value to the store (called from {@link #put}, {@link #writePending()})
   */
  public WriteBehind(int capacity, BiConsumer<K, V> writer) {
    this(fixed(capacity), value -> 1L, writer);
  }

  /**
   * Live values weighing at most {@code budget} together (at least one value stays live, whatever it
   * weighs).
   *
   * @param budget the most the live values may weigh, asked at each put and write; at least 1
   * @param weigher what a value weighs, at least 1
   * @param writer writes one value to the store (called from {@link #put}, {@link #writePending()})
   */
  public WriteBehind(LongSupplier budget, ToLongFunction<V> weigher, BiConsumer<K, V> writer) {
    this.budget = budget;
    this.weigher = weigher;
    this.writer = writer;
  }

  private static LongSupplier fixed(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    return () -> capacity;
  }

  /** The live value, or null when it must be read from the store. */
  public V get(K key) {
    Slot<K, V> slot = live.get(key);
    return slot == null ? null : slot.value;
  }

  /** Keeps the value live and pending: the store gets it, as it is then, at the next {@link #writePending()}. */
  public void put(K key, V value) {
    Slot<K, V> slot = live.computeIfAbsent(key, Slot::new); // one lookup, and an access like get's
    slot.value = value;
    markPending(slot);
    weigh(slot);
    trim();
  }

  /**
   * Forgets the key's live value and any pending write of it: the next {@link #get} misses, and the
   * store keeps what was last written. For a key deleted from the store, or a value that may be broken.
   */
  public void discard(K key) {
    Slot<K, V> slot = live.remove(key);
    if (slot != null) {
      unmarkPending(slot);
      weight -= slot.weight;
    }
  }

  /** Writes the key's value now if it is pending; it stays live. */
  public void write(K key) {
    Slot<K, V> slot = live.get(key);
    if (slot != null && slot.pending) {
      unmarkPending(slot);
      writer.accept(key, slot.value);
      weigh(slot);
    }
  }

  /** Writes every pending value; they stay live, as far as the budget allows. */
  public void writePending() {
    if (!pending.isEmpty()) {
      for (Slot<K, V> slot : pending) {
        if (slot.pending) {
          writer.accept(slot.key, slot.value);
          unmarkPending(slot); // after the write: a value the writer failed on stays pending
          weigh(slot);
        }
      }
      pending.clear();
    }
    trim();
  }

  /** Forgets everything, written or not: for a processor (re)initialised after a restore or an abort. */
  public void clear() {
    pending.clear();
    pendingCount = 0;
    live.clear();
    weight = 0;
  }

  public int pendingCount() {
    return pendingCount;
  }

  public int liveCount() {
    return live.size();
  }

  /** What the live values weigh together, each as last weighed. */
  public long weight() {
    return weight;
  }

  /** Values pushed out for the budget since this was made (not those discarded or cleared). */
  public long evictions() {
    return evictions;
  }

  private void markPending(Slot<K, V> slot) {
    if (!slot.pending) {
      slot.pending = true;
      pending.add(slot);
      pendingCount++;
    }
  }

  /** No longer pending; the slot stays in {@link #pending} until the next write, skipped there. */
  private void unmarkPending(Slot<K, V> slot) {
    if (slot.pending) {
      slot.pending = false;
      pendingCount--;
    }
  }

  private void weigh(Slot<K, V> slot) {
    long w = weigher.applyAsLong(slot.value);
    if (w < 1) {
      throw new IllegalArgumentException("a value must weigh at least 1, weighed " + w);
    }
    weight += w - slot.weight;
    slot.weight = w;
  }

  /** Pushes out the least recently used values, written first if pending, until the budget holds. */
  private void trim() {
    long max = budget.getAsLong();
    if (weight <= max) {
      return;
    }
    Iterator<Slot<K, V>> eldest = live.values().iterator();
    while (weight > max && live.size() > 1) {
      Slot<K, V> slot = eldest.next();
      eldest.remove();
      weight -= slot.weight;
      evictions++;
      if (slot.pending) {
        unmarkPending(slot);
        writer.accept(slot.key, slot.value);
      }
    }
  }
}
