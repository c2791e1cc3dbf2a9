package io.driftwatch.streams;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.stats.GenerationStats;
import io.driftwatch.streams.ingest.DecodeProcessor;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.serde.JsonSerde;
import io.driftwatch.streams.stats.GenerationStatsProcessor;
import io.driftwatch.streams.stats.OpenGeneration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Driftwatch's processing graph, written with the Processor API:
 *
 * <pre>
 *   tokens topic --> decode --(valid events, by generation id)--> generation-stats --> scores topic
 *                       \--(anything else)--> dead-letters topic
 * </pre>
 *
 * The tokens topic is keyed by generation id, so each generation's events reach one task in order and
 * its state lives in that task's store; no repartitioning is needed.
 */
public final class DriftwatchTopology {

  public static final String SOURCE = "tokens-source";
  public static final String DECODE = "decode";
  public static final String STATS = "generation-stats";
  public static final String STATS_STORE = "generation-stats-store";
  public static final String SCORES_SINK = "scores-sink";
  public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

  private DriftwatchTopology() {}

  public static Topology build(Topics topics, MonitorSettings settings, DriftwatchMetrics metrics) {
    GenerationStats stats = new GenerationStats(settings.stats());
    Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.tokens());
    topology.addProcessor(DECODE, () -> new DecodeProcessor(STATS, DEAD_LETTERS_SINK, metrics), SOURCE);
    topology.addProcessor(STATS,
        () -> new GenerationStatsProcessor(STATS_STORE, stats, settings.idleTimeout(), settings.idleCheckInterval(), metrics),
        DECODE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS_STORE), Serdes.String(), JsonSerde.of(OpenGeneration.class)),
        STATS);
    topology.addSink(SCORES_SINK, topics.scores(), new StringSerializer(), JsonSerde.of(ScoreRecord.class).serializer(), STATS);
    topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters(), new StringSerializer(), JsonSerde.of(DeadLetter.class).serializer(), DECODE);
    return topology;
  }
}
