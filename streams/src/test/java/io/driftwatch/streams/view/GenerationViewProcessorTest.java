package io.driftwatch.streams.view;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.streams.ingest.DecodedEvent;
import io.driftwatch.streams.state.CommitHookStore;
import io.driftwatch.streams.state.HeapShare;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.LongStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web view's processor on a mock context, many records between commits and its purge fired by
 * hand: a generation's summary and token chunks reach the stores at a commit, output records at once;
 * the purge sees what is not yet committed and drops closed generations past retention or the limit.
 */
class GenerationViewProcessorTest {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  private static final Topics TOPICS = Topics.defaults();
  private static final ViewSettings SETTINGS = new ViewSettings(Duration.ofMinutes(5), 2, 100, 50);

  private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>(props());
  private CommitHookStore<String, GenerationView> summaries;
  private CommitHookStore<String, byte[]> details;
  private final HeapShare heap = GenerationViewProcessor.heapShare();
  private final GenerationViewProcessor processor = new GenerationViewProcessor(TOPICS, SETTINGS, heap);

  @BeforeEach
  void init() {
    context.setCurrentSystemTimeMs(T0.toEpochMilli());
    KeyValueStore<String, GenerationView> summaryStore = CommitHookStore.wrap(Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(ViewStores.SUMMARIES), Serdes.String(), GenerationView.serde()).withLoggingDisabled()).build();
    KeyValueStore<String, byte[]> detailStore = CommitHookStore.wrap(Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(ViewStores.DETAILS), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled()).build();
    for (var store : List.of(summaryStore, detailStore)) {
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    summaries = CommitHookStore.of(summaryStore);
    details = CommitHookStore.of(detailStore);
    processor.init(context);
  }

  @Test
  void theTaskHoldsItsShareOfTheHeapUntilClose() {
    assertThat(heap.tasks()).isEqualTo(1);
    processor.init(context); // initialised again after a restore: still one task
    assertThat(heap.tasks()).isEqualTo(1);
    processor.close();
    assertThat(heap.tasks()).isZero();
  }

  @Test
  void tokensAndTheSummaryReachTheStoresAtTheCommitInChunks() throws IOException {
    event(new GenerationEvent.Start(1, "g-a", "run-1", "model-x", "Tell me.", null, Map.of(), T0));
    for (int seq = 0; seq < 20; seq++) {
      event(token("g-a", seq));
    }
    event(token("g-a", 19));

    assertThat(summaries.get("g-a")).as("written behind").isNull();
    assertThat(keys("g-a")).isEmpty();

    commit();
    GenerationView view = summaries.get("g-a");
    assertThat(view.model()).isEqualTo("model-x");
    assertThat(view.tokens()).as("the repeated seq counts once").isEqualTo(20);
    assertThat(view.storedTokens()).isEqualTo(20);
    assertThat(view.status()).isEqualTo(GenerationView.OPEN);
    assertThat(keys("g-a")).containsExactly(ViewKeys.of("g-a", ViewKeys.TOKENS, 0), ViewKeys.of("g-a", ViewKeys.TOKENS, 1));
    TokenChunk first = chunk("g-a", 0);
    assertThat(first.seq()).containsExactlyElementsOf(LongStream.range(0, TokenChunk.SIZE).boxed().toList());
    assertThat(first.text().get(3)).isEqualTo(" w3");
    assertThat(first.surprisal().get(3)).isEqualTo(0.25);
    assertThat(chunk("g-a", 1).seq()).containsExactly(16L, 17L, 18L, 19L);

    event(token("g-a", 20));
    event(token("g-a", 21));
    assertThat(chunk("g-a", 1).seq()).as("the last commit's chunk").containsExactly(16L, 17L, 18L, 19L);
    assertThat(summaries.get("g-a").tokens()).isEqualTo(20);
    commit();
    assertThat(chunk("g-a", 1).seq()).containsExactly(16L, 17L, 18L, 19L, 20L, 21L);
    assertThat(summaries.get("g-a").tokens()).isEqualTo(22);
  }

  @Test
  void outputRecordsAreKeptAtOnceAsTheyCameAndUnreadableOnesAreSkipped() throws IOException {
    event(new GenerationEvent.Start(1, "g-a", "run-1", "model-x", "Tell me.", null, Map.of(), T0));
    byte[] sentence = EventCodec.toJson(score("g-a", ScoreRecord.SENTENCE, 0));
    byte[] summary = EventCodec.toJson(score("g-a", ScoreRecord.SUMMARY, null));
    output(TOPICS.scores(), "g-a", sentence);
    output(TOPICS.scores(), "g-a", "not json".getBytes(UTF_8));
    output(TOPICS.scores(), "g-a", summary);

    assertThat(details.get(ViewKeys.of("g-a", ViewKeys.SCORE, 0))).isEqualTo(sentence);
    assertThat(details.get(ViewKeys.of("g-a", ViewKeys.SCORE, 1))).isEqualTo(summary);
    assertThat(keys("g-a")).hasSize(2);
    assertThat(summaries.get("g-a")).as("the summary is still written behind").isNull();

    commit();
    GenerationView view = summaries.get("g-a");
    assertThat(view.scoreRecords()).isEqualTo(2);
    assertThat(view.status()).isEqualTo(GenerationView.CLOSED);
    assertThat(view.lastSeenMillis()).isEqualTo(context.currentSystemTimeMs());
  }

  @Test
  void thePurgeDropsClosedGenerationsPastRetentionEvenBeforeTheirCommit() throws IOException {
    CapturedPunctuator purge = context.scheduledPunctuators().stream()
        .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME).findFirst().orElseThrow();
    event(new GenerationEvent.Start(1, "g-open", "run-1", "model-x", "Tell me.", null, Map.of(), T0));
    event(token("g-open", 0));
    event(new GenerationEvent.Start(1, "g-done", "run-1", "model-x", "Tell me.", null, Map.of(), T0));
    event(token("g-done", 0));
    output(TOPICS.scores(), "g-done", EventCodec.toJson(score("g-done", ScoreRecord.SUMMARY, null)));
    long closedAt = context.currentSystemTimeMs();

    purge.getPunctuator().punctuate(closedAt + SETTINGS.retention().toMillis());
    assertThat(summaries.get("g-done")).as("kept up to its retention, and written by the purge").isNotNull();
    assertThat(summaries.get("g-open")).isNotNull();

    purge.getPunctuator().punctuate(closedAt + SETTINGS.retention().toMillis() + 1);
    assertThat(summaries.get("g-done")).isNull();
    assertThat(keys("g-done")).isEmpty();
    commit();
    assertThat(summaries.get("g-done")).as("a commit does not bring a dropped view back").isNull();
    assertThat(summaries.get("g-open").tokens()).as("an open generation stays for twice the retention").isEqualTo(1);
    assertThat(keys("g-open")).containsExactly(ViewKeys.of("g-open", ViewKeys.TOKENS, 0));
  }

  @Test
  void anOpenGenerationRestoredAfterALongOutageCountsItsSilenceFromTheRestart() throws IOException {
    event(new GenerationEvent.Start(1, "g-open", "run-1", "model-x", "Tell me.", null, Map.of(), T0));
    event(token("g-open", 0));
    commit();

    // Down for three retentions: the generation's next events wait in the backlog.
    long restart = context.currentSystemTimeMs() + 3 * SETTINGS.retention().toMillis();
    context.setCurrentSystemTimeMs(restart);
    processor.close();
    processor.init(context);
    CapturedPunctuator purge = context.scheduledPunctuators().stream()
        .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME).reduce((earlier, later) -> later).orElseThrow();
    purge.getPunctuator().punctuate(restart + 60_000);
    assertThat(summaries.get("g-open")).as("kept after the restart").isNotNull();
    purge.getPunctuator().punctuate(restart + 2 * SETTINGS.retention().toMillis() + 1);
    assertThat(summaries.get("g-open")).as("dropped once silent for twice the retention since").isNull();
  }

  @Test
  void anEndForAGenerationNeverSeenMakesNoView() throws IOException {
    event(new GenerationEvent.End(1, "g-unknown", "stop", T0));
    event(new GenerationEvent.Start(1, "g-a", "run-1", "model-x", "Tell me.", null, Map.of(), T0));
    event(new GenerationEvent.End(1, "g-a", "stop", T0.plusSeconds(1)));
    commit();
    assertThat(summaries.get("g-unknown")).isNull();
    assertThat(summaries.get("g-a").status()).isEqualTo(GenerationView.ENDING);
  }

  @Test
  void thePurgeKeepsOnlyTheMostRecentlyClosedGenerationsBeyondTheLimit() throws IOException {
    CapturedPunctuator purge = context.scheduledPunctuators().get(0);
    List<String> ids = List.of("g-1", "g-2", "g-3", "g-4");
    for (String id : ids) {
      context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 1_000);
      event(new GenerationEvent.Start(1, id, "run-1", "model-x", "Tell me.", null, Map.of(), T0));
      output(TOPICS.scores(), id, EventCodec.toJson(score(id, ScoreRecord.SUMMARY, null)));
    }
    purge.getPunctuator().punctuate(context.currentSystemTimeMs());
    commit();
    List<String> kept = new ArrayList<>();
    try (KeyValueIterator<String, GenerationView> all = summaries.all()) {
      all.forEachRemaining(e -> kept.add(e.key));
    }
    assertThat(kept).containsExactly("g-3", "g-4");
    assertThat(keys("g-1")).isEmpty();
    assertThat(keys("g-4")).containsExactly(ViewKeys.of("g-4", ViewKeys.SCORE, 0));
  }

  private void event(GenerationEvent event) {
    context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 5);
    byte[] key = event.generationId().getBytes(UTF_8);
    processor.process(new Record<>(event.generationId(), new DecodedEvent(event, key, EventCodec.encode(event)),
        event.eventTime().toEpochMilli()));
  }

  private void output(String topic, String key, byte[] json) {
    context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 5);
    context.setRecordMetadata(topic, 0, 0);
    processor.process(new Record<>(key, json, T0.toEpochMilli()));
  }

  private void commit() {
    summaries.flushCache();
    details.flushCache();
  }

  private List<String> keys(String id) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> entries = details.prefixScan(ViewKeys.prefix(id), new StringSerializer())) {
      entries.forEachRemaining(e -> keys.add(e.key));
    }
    return keys;
  }

  private TokenChunk chunk(String id, int index) throws IOException {
    return EventCodec.fromJson(details.get(ViewKeys.of(id, ViewKeys.TOKENS, index)), TokenChunk.class);
  }

  private static GenerationEvent.Token token(String id, int seq) {
    return new GenerationEvent.Token(1, id, (long) seq, " w" + seq, null, -0.25, null, T0.plusMillis(20L * seq));
  }

  private static ScoreRecord score(String id, String kind, Integer sentence) {
    boolean summary = ScoreRecord.SUMMARY.equals(kind);
    return new ScoreRecord(1, id, "run-1", "model-x", kind, sentence, 1, 0, 4, 5, Map.of(), List.of(), T0.plusSeconds(1),
        summary ? "end:stop" : null);
  }

  private static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "generation-view-processor");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
  }
}
