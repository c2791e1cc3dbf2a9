package io.driftwatch.streams.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.BaselineStore;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.streams.DriftwatchTopology;
import io.driftwatch.streams.view.GenerationView;
import io.driftwatch.streams.view.TokenChunk;
import io.driftwatch.streams.view.ViewKeys;
import io.driftwatch.streams.view.ViewStores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the view stores of this instance through Kafka Streams interactive queries. Throws
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while the stores are not
 * queryable (starting, rebalancing); the API turns that into 503.
 */
final class LocalViews {

  private final KafkaStreams streams;
  private final BaselineSettings baseline;

  LocalViews(KafkaStreams streams, BaselineSettings baseline) {
    this.streams = streams;
    this.baseline = baseline;
  }

  /**
   * The baselines of this instance's scoring tasks, by partition then model, then the file's (which no
   * task stores: they are settings).
   */
  List<BaselineRow> baselines() {
    java.util.SortedSet<Integer> partitions = new java.util.TreeSet<>();
    streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task -> partitions.add(task.taskId().partition())));
    List<BaselineRow> rows = new ArrayList<>();
    for (int partition : partitions) {
      ReadOnlyKeyValueStore<String, byte[]> store = streams.store(
          parameters(DriftwatchTopology.BASELINES_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore(), partition));
      Baselines task = new Baselines(baseline, new BaselineStore() {
        @Override
        public byte[] get(String model) {
          return store.get(model);
        }

        @Override
        public void put(String model, byte[] bytes) {
          throw new UnsupportedOperationException("the web view only reads baselines");
        }

        @Override
        public long count() {
          return store.approximateNumEntries();
        }
      });
      try (KeyValueIterator<String, byte[]> it = store.all()) {
        it.forEachRemaining(kv -> {
          if (!baseline.fixed().containsKey(kv.key)) {
            rows.add(BaselineRow.of(partition, task.status(kv.key)));
          }
        });
      }
    }
    Baselines files = Baselines.inMemory(baseline);
    new java.util.TreeSet<>(baseline.fixed().keySet()).forEach(model -> rows.add(BaselineRow.of(-1, files.status(model))));
    return rows;
  }

  /** Hands every generation this instance holds to {@code each}, one at a time: they are never all in memory. */
  void forEach(Consumer<GenerationView> each) {
    try (KeyValueIterator<String, GenerationView> it = summaries(null).all()) {
      it.forEachRemaining(kv -> each.accept(kv.value));
    }
  }

  Optional<GenerationView> summary(String id, Integer partition) {
    return Optional.ofNullable(summaries(partition).get(id));
  }

  /**
   * The generation's whole view as the JSON of {@code /api/generations/{id}}: its summary, tokens,
   * and its score records, alerts and spans exactly as they were on their topics. Empty when this
   * instance does not hold it.
   */
  Optional<byte[]> detail(String id, Integer partition, String servedBy) throws IOException {
    Optional<GenerationView> summary = summary(id, partition);
    if (summary.isEmpty()) {
      return Optional.empty();
    }
    ReadOnlyKeyValueStore<String, byte[]> details = details(partition);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = EventCodec.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeFieldName("generation");
      EventCodec.MAPPER.writeValue(json, summary.get());
      json.writeStringField("served_by", servedBy);
      writeTokens(json, details, id);
      writeRaw(json, "scores", details, id, ViewKeys.SCORE);
      writeRaw(json, "alerts", details, id, ViewKeys.ALERT);
      writeRaw(json, "spans", details, id, ViewKeys.SPAN);
      json.writeEndObject();
    }
    return Optional.of(out.toByteArray());
  }

  private static void writeTokens(JsonGenerator json, ReadOnlyKeyValueStore<String, byte[]> details, String id) throws IOException {
    json.writeArrayFieldStart("tokens");
    for (byte[] bytes : entries(details, ViewKeys.prefix(id, ViewKeys.TOKENS))) {
      TokenChunk chunk = EventCodec.fromJson(bytes, TokenChunk.class);
      for (int i = 0; i < chunk.size(); i++) {
        json.writeStartObject();
        json.writeNumberField("seq", chunk.seq().get(i));
        json.writeStringField("text", chunk.text().get(i));
        Double surprisal = chunk.surprisal().get(i);
        if (surprisal != null) {
          json.writeNumberField("surprisal", surprisal);
        }
        json.writeEndObject();
      }
    }
    json.writeEndArray();
  }

  /** The stored records are the topics' own JSON, written through unchanged. */
  private static void writeRaw(JsonGenerator json, String field, ReadOnlyKeyValueStore<String, byte[]> details, String id, char kind)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (byte[] bytes : entries(details, ViewKeys.prefix(id, kind))) {
      json.writeRawValue(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
    json.writeEndArray();
  }

  private static List<byte[]> entries(ReadOnlyKeyValueStore<String, byte[]> store, String prefix) {
    List<byte[]> values = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, new StringSerializer())) {
      it.forEachRemaining((KeyValue<String, byte[]> kv) -> values.add(kv.value));
    }
    return values;
  }

  private ReadOnlyKeyValueStore<String, GenerationView> summaries(Integer partition) {
    return streams.store(parameters(ViewStores.SUMMARIES, QueryableStoreTypes.<String, GenerationView>keyValueStore(), partition));
  }

  private ReadOnlyKeyValueStore<String, byte[]> details(Integer partition) {
    return streams.store(parameters(ViewStores.DETAILS, QueryableStoreTypes.<String, byte[]>keyValueStore(), partition));
  }

  private static <T> StoreQueryParameters<T> parameters(String store,
      org.apache.kafka.streams.state.QueryableStoreType<T> type, Integer partition) {
    StoreQueryParameters<T> p = StoreQueryParameters.fromNameAndType(store, type);
    return partition == null ? p : p.withPartition(partition);
  }
}
