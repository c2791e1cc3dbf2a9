package io.driftwatch.streams;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.SpanRecord;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.streams.ingest.DecodeProcessor;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.scoring.GenerationScoringProcessor;
import io.driftwatch.streams.scoring.SemanticScoring;
import io.driftwatch.streams.scoring.OpenGeneration;
import io.driftwatch.streams.serde.FittingSerializer;
import io.driftwatch.streams.serde.JsonSerde;
import io.driftwatch.streams.state.CommitHookStore;
import io.driftwatch.streams.state.HeapShare;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import io.driftwatch.streams.view.GenerationViewProcessor;
import io.driftwatch.streams.view.ViewSettings;
import io.driftwatch.streams.view.ViewStores;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Driftwatch's processing graph, written with the Processor API:
 *
 * <pre>
 *   tokens --> decode --(valid events, by generation id)--> score --+--> scores
 *                 |                                               +--> alerts
 *                 +--(invalid)--> dead-letters <--(rejected)------+
 * </pre>
 *
 * The tokens topic is keyed by generation id, so each generation's events reach one task in order and
 * its state lives in that task's stores; no repartitioning is needed.
 */
public final class DriftwatchTopology {

  public static final String SOURCE = "tokens-source";
  public static final String DECODE = "decode";
  public static final String SCORE = "score";
  public static final String OPEN_STORE = "open-generations";
  public static final String CLOSED_STORE = "closed-generations";
  /** Each model's baseline (docs/scores.md, Baselines), by model, in each scoring task. */
  public static final String BASELINES_STORE = "model-baselines";
  public static final String SCORES_SINK = "scores-sink";
  public static final String ALERTS_SINK = "alerts-sink";
  public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
  public static final String SPANS_SINK = "spans-sink";
  public static final String VIEW_OUTPUTS_SOURCE = "view-outputs-source";
  public static final String VIEW = "web-view";

  /** Largest state record the open-generations changelog accepts; the producer's request limit matches it. */
  public static final int MAX_STATE_BYTES = 8 * 1024 * 1024;

  private DriftwatchTopology() {}

  /** The processing graph with the parts {@code options} asks for. */
  public static Topology build(TopologyOptions options) {
    Topics topics = options.topics();
    MonitorSettings settings = options.monitor();
    DriftwatchMetrics metrics = options.metrics();
    SemanticScoring semantic = options.semantic().orElse(null);
    AttributionScoring attribution = options.attribution().orElse(null);
    ScoringEngine engine = new ScoringEngine(settings.scoring(), semantic != null, attribution);
    GenerationScoringProcessor.StoreNames stores = new GenerationScoringProcessor.StoreNames(OPEN_STORE, CLOSED_STORE, BASELINES_STORE);
    GenerationScoringProcessor.Children children =
        new GenerationScoringProcessor.Children(SCORES_SINK, ALERTS_SINK, SPANS_SINK, DEAD_LETTERS_SINK);
    GenerationScoringProcessor.Timing timing = new GenerationScoringProcessor.Timing(
        settings.idleTimeout(), settings.idleCheckInterval(), settings.closedRetention());

    Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.tokens());
    List<String> eventConsumers = options.view().isEmpty() ? List.of(SCORE) : List.of(SCORE, VIEW);
    topology.addProcessor(DECODE, () -> new DecodeProcessor(eventConsumers, DEAD_LETTERS_SINK, metrics), SOURCE);
    // One budget for the scoring tasks of all stream threads: each task keeps live states within its share.
    HeapShare liveStates = GenerationScoringProcessor.liveStateShare(settings.liveStateHeapPercent());
    topology.addProcessor(SCORE,
        () -> new GenerationScoringProcessor(engine, stores, children, timing, metrics, semantic, settings.baseline(), liveStates),
        DECODE);
    // Written behind: the processor keeps each generation's live state and writes it once per commit,
    // through the hook this store runs before each commit, instead of encoding it at every token
    // (measured: docs/benchmarks.md). Exactly-once is kept: see CommitHookStore. Not cached: the
    // processor already writes each generation once per commit, so Kafka Streams' cache would only
    // copy it once more.
    // Its changelog accepts records up to MAX_STATE_BYTES: a generation's state is normally a few KB, but
    // one chunk event of thousands of one-word sentences leaves them all waiting for their embeddings
    // (1.5 MB measured, docs/memory.md), above Kafka's default 1 MB; refusing it would fail the task
    // on every retry of that event.
    topology.addStateStore(CommitHookStore.wrap(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OPEN_STORE),
            Serdes.String(), OpenGeneration.serde())
        .withCachingDisabled()
        .withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_STATE_BYTES)))), SCORE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLOSED_STORE), Serdes.String(), Serdes.Long())
        .withCachingEnabled(), SCORE);
    // Changelogged like the others, so that under exactly-once a baseline is written in the same
    // transaction as the summary it learned from, and a restart, a rebalance or a state wipe reads it
    // back from the changelog. Cached: a model's baseline written at every summary of a commit interval
    // goes to the changelog once.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BASELINES_STORE), Serdes.String(),
            Serdes.ByteArray())
        .withCachingEnabled(), SCORE);
    // Every output value is checked against the topic's limit before it is sent: one too large would
    // abort the transaction and stop scoring at that record for good (FittingSerializer).
    int max = FittingSerializer.MAX_VALUE_BYTES;
    topology.addSink(SCORES_SINK, topics.scores(), new StringSerializer(),
        new FittingSerializer<>(JsonSerde.of(ScoreRecord.class).serializer(), max, null, metrics::outputReplaced), SCORE);
    topology.addSink(ALERTS_SINK, topics.alerts(), new StringSerializer(),
        new FittingSerializer<>(JsonSerde.of(AlertEvent.class).serializer(), max, null, metrics::outputReplaced), SCORE);
    topology.addSink(SPANS_SINK, topics.spans(), new StringSerializer(),
        new FittingSerializer<>(JsonSerde.of(SpanRecord.class).serializer(), max, null, metrics::outputReplaced), SCORE);
    topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters(), new StringSerializer(),
        FittingSerializer.forDeadLetters(JsonSerde.of(DeadLetter.class).serializer(), max, metrics::outputReplaced), DECODE, SCORE);
    options.view().ifPresent(view -> addView(topology, topics, view));
    return topology;
  }

  /**
   * The web view reads the valid events from the decode step and the records from the output topics.
   * Those topics are keyed by generation id like the tokens topic, so all of them land in the scoring
   * sub-topology and a generation's view sits beside its scores. It starts at the latest output
   * records: a first start against a busy cluster does not replay history into the view.
   */
  private static void addView(Topology topology, Topics topics, ViewSettings view) {
    topology.addSource(AutoOffsetReset.latest(), VIEW_OUTPUTS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
        topics.scores(), topics.alerts(), topics.spans());
    HeapShare heap = GenerationViewProcessor.heapShare();
    topology.addProcessor(VIEW, () -> new GenerationViewProcessor(topics, view, heap), DECODE, VIEW_OUTPUTS_SOURCE);
    topology.addStateStore(ViewStores.summaries(), VIEW);
    topology.addStateStore(ViewStores.details(), VIEW);
  }
}
