package io.driftwatch.streams.view;

import io.driftwatch.streams.state.CommitHookStore;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The two stores behind the web view, both keyed so that a generation lives in the task (and the
 * instance) that scores it.
 *
 * <ul>
 *   <li>{@value #SUMMARIES}: generation id → {@link GenerationView}, one small entry per generation;
 *       the overview reads only this.
 *   <li>{@value #DETAILS}: {@link ViewKeys} → JSON, the generation's tokens (in chunks), score records,
 *       alerts and spans, appended under ordered keys so that one prefix scan reads a generation back
 *       and each update rewrites only one small entry, never the whole history.
 * </ul>
 *
 * <p>Both are written behind ({@link CommitHookStore}): the processor writes what changed once per
 * commit, so Kafka Streams' cache would only copy it once more and is left off.
 */
public final class ViewStores {

  public static final String SUMMARIES = "generation-views";
  public static final String DETAILS = "generation-view-details";

  private ViewStores() {}

  public static StoreBuilder<KeyValueStore<String, GenerationView>> summaries() {
    return CommitHookStore.wrap(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUMMARIES), Serdes.String(),
        GenerationView.serde()));
  }

  public static StoreBuilder<KeyValueStore<String, byte[]>> details() {
    return CommitHookStore.wrap(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DETAILS), Serdes.String(),
        Serdes.ByteArray()));
  }
}
