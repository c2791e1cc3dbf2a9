package io.driftwatch.streams.state;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The live values of a key-value store, written to the store later rather than at every change.
 *
 * <p>Kafka Streams serialises a value at every {@code put}, and Driftwatch changes a generation's state
 * (and its view) at every token: encoding it each time cost a third of the stream thread. Here a
 * changed value is only marked pending; {@link #writePending()} hands each pending value, in its
 * latest form, to the writer once. Run it right before each commit ({@link CommitHookStore}) and the
 * store holds, at every commit, exactly what writing through would have left there.
 *
 * <p>Bounded, least recently used out: a value pushed out while pending is written at once, so
 * nothing is lost and heap does not grow with the number of keys. Not thread-safe: it belongs to one
 * processor, on its stream thread. Plain Java, so that it is tested without Kafka.
 *
 * @param <K> key
 * @param <V> value, usually mutable: the same object is changed, put again, and written once
 */
public final class WriteBehind<K, V> {

  private final BiConsumer<K, V> writer;
  private final Set<K> pending = new HashSet<>();
  private final Map<K, V> live;

  /**
   * @param capacity most values kept live
   * @param writer writes one value to the store (called from {@link #put}, {@link #writePending()})
   */
  public WriteBehind(int capacity, BiConsumer<K, V> writer) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.writer = writer;
    this.live = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        if (size() <= capacity) {
          return false;
        }
        if (pending.remove(eldest.getKey())) {
          writer.accept(eldest.getKey(), eldest.getValue());
        }
        return true;
      }
    };
  }

  /** The live value, or null when it must be read from the store. */
  public V get(K key) {
    return live.get(key);
  }

  /** Keeps the value live and pending: the store gets it, as it is then, at the next {@link #writePending()}. */
  public void put(K key, V value) {
    pending.add(key);
    live.put(key, value);
  }

  /**
   * Forgets the key's live value and any pending write of it: the next {@link #get} misses, and the
   * store keeps what was last written. For a key deleted from the store, or a value that may be broken.
   */
  public void discard(K key) {
    pending.remove(key);
    live.remove(key);
  }

  /** Writes the key's value now if it is pending; it stays live. */
  public void write(K key) {
    if (pending.remove(key)) {
      writer.accept(key, live.get(key));
    }
  }

  /** Writes every pending value; they stay live. */
  public void writePending() {
    if (pending.isEmpty()) {
      return;
    }
    for (K key : pending) {
      writer.accept(key, live.get(key));
    }
    pending.clear();
  }

  /** Forgets everything, written or not: for a processor (re)initialised after a restore or an abort. */
  public void clear() {
    pending.clear();
    live.clear();
  }

  public int pendingCount() {
    return pending.size();
  }

  public int liveCount() {
    return live.size();
  }
}
