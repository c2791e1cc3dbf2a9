package io.driftwatch.streams.scoring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.ModelBaseline;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.ingest.DecodedEvent;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.state.CommitHookStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The scoring processor on a mock context with its three stores, many records between commits: a
 * processor initialised again over the same stores (as after an aborted transaction, or a task that
 * moved and restored its stores) goes on with the same baselines, and its records equal those of a
 * processor that never stopped.
 */
class BaselineProcessorTest {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  private static final DemoCorpus CORPUS = DemoCorpus.load();
  private static final BaselineSettings BASELINES = new BaselineSettings(5, null, Map.of());

  private static final class Harness {
    final MockProcessorContext<String, Object> context = new MockProcessorContext<>(props());
    final CommitHookStore<String, OpenGeneration> open;
    final KeyValueStore<String, byte[]> baselines;
    final ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    GenerationScoringProcessor processor;

    Harness() {
      context.setCurrentSystemTimeMs(T0.toEpochMilli());
      KeyValueStore<String, OpenGeneration> openStore = CommitHookStore.wrap(Stores.keyValueStoreBuilder(
          Stores.inMemoryKeyValueStore("open"), Serdes.String(), OpenGeneration.serde()).withLoggingDisabled()).build();
      KeyValueStore<String, Long> closedStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("closed"),
          Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
      baselines = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("baselines"), Serdes.String(), Serdes.ByteArray())
          .withLoggingDisabled().build();
      for (var store : List.of(openStore, closedStore, baselines)) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
      }
      open = CommitHookStore.of(openStore);
      init();
    }

    /** A processor as Kafka Streams makes one when the task starts or is revived. */
    void init() {
      MonitorSettings settings = MonitorSettings.DEFAULTS;
      processor = new GenerationScoringProcessor(engine, new GenerationScoringProcessor.StoreNames("open", "closed", "baselines"),
          new GenerationScoringProcessor.Children("scores", "alerts", "spans", "dead-letters"),
          new GenerationScoringProcessor.Timing(settings.idleTimeout(), settings.idleCheckInterval(), settings.closedRetention()),
          new DriftwatchMetrics(new PrometheusRegistry(), 5), null, BASELINES,
          GenerationScoringProcessor.liveStateShare(MonitorSettings.DEFAULT_LIVE_STATE_HEAP_PERCENT));
      processor.init(context);
    }

    void send(GenerationEvent event) {
      context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 5);
      processor.process(new Record<>(event.generationId(), new DecodedEvent(event, event.generationId().getBytes(UTF_8),
          EventCodec.encode(event)), event.eventTime().toEpochMilli()));
    }

    void commit() {
      open.flushCache();
    }

    List<String> scores() {
      return context.forwarded("scores").stream().map(f -> new String(EventCodec.toJson((ScoreRecord) f.record().value()), UTF_8))
          .toList();
    }
  }

  @Test
  void aProcessorInitialisedAgainGoesOnWithTheStoredBaselines() {
    List<GenerationEvent> input = input();
    Harness steady = new Harness();
    Harness revived = new Harness();
    for (int i = 0; i < input.size(); i++) {
      steady.send(input.get(i));
      revived.send(input.get(i));
      if (i % 97 == 0) {
        steady.commit();
        revived.commit();
      }
      if (i % 1_000 == 999) {
        // Revived after a commit, as Kafka Streams revives a task: its open generations and its
        // baselines come back from the stores.
        revived.commit();
        revived.init();
      }
    }
    assertThat(steady.scores()).anyMatch(s -> s.contains("\"loop_repeats_pct\""));
    assertThat(revived.scores()).containsExactlyElementsOf(steady.scores());
    assertThat(ModelBaseline.decode(revived.baselines.get("model-a")).generations()).isEqualTo(BASELINES.warmupGenerations());
  }

  /** Sixteen generations of two models, four streaming at once. */
  private static List<GenerationEvent> input() {
    Random random = new Random(8);
    List<List<GenerationEvent>> generations = new ArrayList<>();
    for (int g = 0; g < 16; g++) {
      Scenario scenario = g < 8 ? Scenario.STEADY : Scenario.values()[g % Scenario.values().length];
      Scenario.Script script = scenario.script(CORPUS, random, 200);
      String id = "g-" + g;
      List<GenerationEvent> events = new ArrayList<>();
      events.add(new GenerationEvent.Start(1, id, "run", g % 2 == 0 ? "model-a" : "model-b", script.prompt(), null, Map.of(), T0));
      for (int seq = 0; seq < script.tokens().size(); seq++) {
        events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, null, null, T0.plusMillis(20L * seq)));
      }
      events.add(new GenerationEvent.End(1, id, "length", T0.plusMillis(20L * script.tokens().size())));
      generations.add(events);
    }
    List<GenerationEvent> out = new ArrayList<>();
    List<List<GenerationEvent>> active = new ArrayList<>();
    int next = 0;
    while (next < generations.size() || !active.isEmpty()) {
      while (active.size() < 4 && next < generations.size()) {
        active.add(new ArrayList<>(generations.get(next++)));
      }
      List<GenerationEvent> g = active.get(random.nextInt(active.size()));
      out.add(g.remove(0));
      if (g.isEmpty()) {
        active.remove(g);
      }
    }
    return out;
  }

  private static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "baseline-processor");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
  }
}
