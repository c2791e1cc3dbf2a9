package io.driftwatch.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CommitHookStore} in a real Kafka Streams task: the hook runs as the task commits, before the
 * store's changes go to its changelog, so what a processor keeps in a {@link WriteBehind} is in the
 * store and in the changelog at every commit. This pins the Kafka Streams internals the class relies on.
 */
class CommitHookStoreTest {

  private static final String STORE = "counts";

  /** Counts words per key; the counts are written behind. */
  static final class CountingProcessor implements Processor<String, String, Void, Void> {
    static final List<String> writes = new ArrayList<>();
    private KeyValueStore<String, Long> counts;
    private WriteBehind<String, long[]> live;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      counts = context.getStateStore(STORE);
      live = new WriteBehind<>(100, (key, count) -> {
        writes.add(key);
        counts.put(key, count[0]);
      });
      CommitHookStore.of(counts).beforeCommit(live::writePending);
    }

    @Override
    public void process(Record<String, String> record) {
      long[] count = live.get(record.key());
      if (count == null) {
        Long stored = counts.get(record.key());
        count = new long[] {stored == null ? 0 : stored};
      }
      count[0] += record.value().split(" ").length;
      live.put(record.key(), count);
    }
  }

  private static Topology topology(boolean cached) {
    var inner = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long());
    Topology topology = new Topology();
    topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "words");
    topology.addProcessor("count", CountingProcessor::new, "in");
    topology.addStateStore(CommitHookStore.wrap(cached ? inner.withCachingEnabled() : inner.withCachingDisabled()), "count");
    return topology;
  }

  @TempDir
  Path stateDirs;

  private TopologyTestDriver driver(Topology topology) throws IOException {
    Properties props = new Properties();
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(stateDirs, "state").toString());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "hook-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    return new TopologyTestDriver(topology, props);
  }

  @Test
  void theHookWritesIntoTheStoreAndItsChangelogAtEachCommit() throws IOException {
    for (boolean cached : new boolean[] {false, true}) {
      CountingProcessor.writes.clear();
      try (TopologyTestDriver driver = driver(topology(cached))) {
        TestInputTopic<String, String> words = driver.createInputTopic("words", new StringSerializer(), new StringSerializer());
        TestOutputTopic<String, Long> changelog = driver.createOutputTopic("hook-test-" + STORE + "-changelog",
            new StringDeserializer(), Serdes.Long().deserializer());
        KeyValueStore<String, Long> store = driver.getKeyValueStore(STORE);

        words.pipeInput("g-1", "one two three");
        assertThat(store.get("g-1")).as("cached: %s", cached).isEqualTo(3L);
        words.pipeInput("g-1", "four five");
        words.pipeInput("g-2", "six");

        assertThat(store.get("g-1")).isEqualTo(5L);
        assertThat(store.get("g-2")).isEqualTo(1L);
        assertThat(changelog.readKeyValuesToMap()).containsEntry("g-1", 5L).containsEntry("g-2", 1L);
        assertThat(CountingProcessor.writes).containsExactly("g-1", "g-1", "g-2");
      }
    }
  }

  @Test
  void theStoreFoundBehindTheDecoratorIsTheOneWhoseHookRunsAtCommit() throws IOException {
    try (TopologyTestDriver driver = driver(topology(false))) {
      KeyValueStore<String, Long> store = driver.getKeyValueStore(STORE);
      List<String> commits = new ArrayList<>();
      CommitHookStore.of(store).beforeCommit(() -> commits.add("commit"));
      TestInputTopic<String, String> words = driver.createInputTopic("words", new StringSerializer(), new StringSerializer());

      words.pipeInput("g-1", "one");
      words.pipeInput("g-1", "two");

      assertThat(commits).as("the driver commits after each record").hasSize(2);
    }
  }

  @Test
  void saysSoWhenAStoreWasNotWrapped() {
    Topology topology = new Topology();
    topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "words");
    topology.addProcessor("count", CountingProcessor::new, "in");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long()), "count");

    assertThatThrownBy(() -> driver(topology).close())
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("counts was not built with CommitHookStore.wrap");
  }
}
