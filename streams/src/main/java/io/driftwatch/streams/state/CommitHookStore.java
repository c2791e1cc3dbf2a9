package io.driftwatch.streams.state;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store that lets its processor write, right before each commit, what it kept in memory
 * ({@link WriteBehind}). Reads and writes go straight to the store it wraps.
 *
 * <p>Why this is exact under exactly-once: before committing a task, Kafka Streams flushes the caches
 * of its stores ({@code flushCache()}), then flushes the producer, then commits the transaction with
 * the consumed offsets. This store runs the hook at the start of its {@code flushCache()}, so the
 * values the hook writes reach the changelog inside the transaction that commits the offsets of the
 * records that changed them. A task closed dirty (an aborted transaction) does not flush, and its
 * processor is initialised again, which empties its {@link WriteBehind}.
 *
 * <p>Why Kafka Streams internals ({@link WrappedStateStore}, {@code CachedStateStore.flushCache}) and
 * no public API: Kafka Streams 4.3 has no supported way to write state at commit inside the commit's
 * transaction. A task's pre-commit ({@code StreamTask.prepareCommit}) calls only {@code flushCache()}
 * on {@code CachedStateStore}s (and {@code commit} on its own internal suppression buffers), then
 * flushes the producer. The public {@code StateStore.commit(changelogOffsets)} (KIP-1035; it replaced
 * {@code flush()}, now a deprecated no-op) runs after the transaction has committed, when the task
 * checkpoints: values written there would reach the changelog in the next transaction, after the
 * offsets of the records that changed them, and a crash in between would lose them. A punctuator runs
 * on a schedule, not at commit, and {@code ProcessingContext.commit()} only asks for one. Writing
 * through instead (no write-behind) is supported but costs what {@link WriteBehind} saves. So this
 * class uses the same internal call as Kafka's own caching layer, and {@code CommitHookStoreTest}
 * fails if a Kafka upgrade stops calling it before the commit.
 */
public final class CommitHookStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V> implements KeyValueStore<K, V> {

  private static final Runnable NOTHING = () -> {};

  private Runnable beforeCommit = NOTHING;

  CommitHookStore(KeyValueStore<K, V> inner) {
    super(inner);
  }

  /**
   * Wraps what the builder builds; use the result in {@code Topology.addStateStore} as the builder
   * itself. Kafka Streams' cache on the inner store may stay: the hook writes into it before it is
   * flushed.
   */
  public static <K, V> StoreBuilder<KeyValueStore<K, V>> wrap(StoreBuilder<KeyValueStore<K, V>> inner) {
    return new Builder<>(inner);
  }

  /**
   * The hook store behind what {@code ProcessorContext.getStateStore} returned (Kafka Streams hands
   * processors a decorator around it).
   */
  @SuppressWarnings("unchecked")
  public static <K, V> CommitHookStore<K, V> of(StateStore store) {
    if (store instanceof CommitHookStore<?, ?> hook) {
      return (CommitHookStore<K, V>) hook;
    }
    CommitHookStore<?, ?> inner = store instanceof WrappedStateStore<?, ?, ?> wrapped ? wrapped.findInner(CommitHookStore.class) : null;
    if (inner == null) {
      throw new IllegalArgumentException("state store " + store.name() + " was not built with CommitHookStore.wrap");
    }
    return (CommitHookStore<K, V>) inner;
  }

  /** Runs before every commit of the task, on its stream thread; replaces the previous hook. */
  public void beforeCommit(Runnable hook) {
    this.beforeCommit = hook;
  }

  @Override
  public void flushCache() {
    beforeCommit.run();
    super.flushCache();
  }

  /** Called when the task is recycled (active to standby): the processor that set the hook is gone. */
  @Override
  public void clearCache() {
    beforeCommit = NOTHING;
    super.clearCache();
  }

  @Override
  public void close() {
    beforeCommit = NOTHING;
    super.close();
  }

  @Override
  public void put(K key, V value) {
    wrapped().put(key, value);
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return wrapped().putIfAbsent(key, value);
  }

  @Override
  public void putAll(List<KeyValue<K, V>> entries) {
    wrapped().putAll(entries);
  }

  @Override
  public V delete(K key) {
    return wrapped().delete(key);
  }

  @Override
  public V get(K key) {
    return wrapped().get(key);
  }

  @Override
  public KeyValueIterator<K, V> range(K from, K to) {
    return wrapped().range(from, to);
  }

  @Override
  public KeyValueIterator<K, V> reverseRange(K from, K to) {
    return wrapped().reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<K, V> all() {
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<K, V> reverseAll() {
    return wrapped().reverseAll();
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
    return wrapped().prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries();
  }

  private static final class Builder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
    private final StoreBuilder<KeyValueStore<K, V>> inner;

    Builder(StoreBuilder<KeyValueStore<K, V>> inner) {
      this.inner = inner;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
      inner.withCachingEnabled();
      return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
      inner.withCachingDisabled();
      return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
      inner.withLoggingEnabled(config);
      return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
      inner.withLoggingDisabled();
      return this;
    }

    @Override
    public KeyValueStore<K, V> build() {
      return new CommitHookStore<>(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
      return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
      return inner.loggingEnabled();
    }

    @Override
    public String name() {
      return inner.name();
    }
  }
}
