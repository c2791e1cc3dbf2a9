package io.driftwatch.streams.state;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
  private final Set<K> pending = new HashSet<>();
  /** Access-ordered: the least recently used first. */
  private final LinkedHashMap<K, V> live = new LinkedHashMap<>(16, 0.75f, true);
  /** What each live value weighed when last weighed, and their sum. */
  private final Map<K, Long> weights = new HashMap<>();
  private long weight;
  private long evictions;

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
    return live.get(key);
  }

  /** Keeps the value live and pending: the store gets it, as it is then, at the next {@link #writePending()}. */
  public void put(K key, V value) {
    pending.add(key);
    live.put(key, value);
    weigh(key, value);
    trim();
  }

  /**
   * Forgets the key's live value and any pending write of it: the next {@link #get} misses, and the
   * store keeps what was last written. For a key deleted from the store, or a value that may be broken.
   */
  public void discard(K key) {
    pending.remove(key);
    live.remove(key);
    unweigh(key);
  }

  /** Writes the key's value now if it is pending; it stays live. */
  public void write(K key) {
    if (pending.remove(key)) {
      V value = live.get(key);
      writer.accept(key, value);
      weigh(key, value);
    }
  }

  /** Writes every pending value; they stay live, as far as the budget allows. */
  public void writePending() {
    if (!pending.isEmpty()) {
      for (K key : pending) {
        V value = live.get(key);
        writer.accept(key, value);
        weigh(key, value);
      }
      pending.clear();
    }
    trim();
  }

  /** Forgets everything, written or not: for a processor (re)initialised after a restore or an abort. */
  public void clear() {
    pending.clear();
    live.clear();
    weights.clear();
    weight = 0;
  }

  public int pendingCount() {
    return pending.size();
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

  private void weigh(K key, V value) {
    long w = weigher.applyAsLong(value);
    if (w < 1) {
      throw new IllegalArgumentException("a value must weigh at least 1, weighed " + w);
    }
    Long before = weights.put(key, w);
    weight += w - (before == null ? 0 : before);
  }

  private void unweigh(K key) {
    Long before = weights.remove(key);
    if (before != null) {
      weight -= before;
    }
  }

  /** Pushes out the least recently used values, written first if pending, until the budget holds. */
  private void trim() {
    long max = budget.getAsLong();
    if (weight <= max) {
      return;
    }
    Iterator<Map.Entry<K, V>> eldest = live.entrySet().iterator();
    while (weight > max && live.size() > 1) {
      Map.Entry<K, V> entry = eldest.next();
      K key = entry.getKey();
      V value = entry.getValue();
      eldest.remove();
      unweigh(key);
      evictions++;
      if (pending.remove(key)) {
        writer.accept(key, value);
      }
    }
  }
}
