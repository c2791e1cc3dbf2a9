package io.driftwatch.streams.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.SpanRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.scoring.attribution.AttributionScoring;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attribution on the real broker: the demo's reference book is indexed; generations that paste 60 of its
 * words each raise exactly one verbatim_copy alert naming it and put the span on the spans topic, and
 * steady generations from other books raise none.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class AttributionEndToEndIT {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");

  @Test
  void pastedPassagesAreFoundWithTheirSource(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    DemoCorpus corpus = DemoCorpus.load();
    IndexBuilder builder = new IndexBuilder(dir.resolve("index"));
    for (Map.Entry<String, String> reference : corpus.references().entrySet()) {
      builder.addText(reference.getKey(), reference.getValue());
    }
    builder.build();
    AttributionScoring attribution = new AttributionScoring(
        new StreamingMatcher(AttributionIndex.open(dir.resolve("index")), MatchSettings.DEFAULTS));

    Map<String, Scenario> plan = new HashMap<>();
    List<GenerationEvent> events = new ArrayList<>();
    Random random = new Random(9);
    for (int i = 0; i < 8; i++) {
      Scenario scenario = i < 6 ? Scenario.VERBATIM_COPY : Scenario.STEADY;
      String id = "attr-" + scenario.label() + "-" + i;
      plan.put(id, scenario);
      Scenario.Script script = scenario.script(corpus, random, 240);
      events.add(new GenerationEvent.Start(1, id, "attr-run", "model", script.prompt(), null, Map.of(), T0));
      for (int seq = 0; seq < script.tokens().size(); seq++) {
        events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, null, null, T0.plusMillis(25L * seq)));
      }
      events.add(new GenerationEvent.End(1, id, "length", T0.plusSeconds(10)));
    }

    Topics topics = Topics.withPrefix("attribution-it.");
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("attribution-it").topics(topics).metricsPort(0).attribution(attribution).build();
    Map<String, List<ScoreRecord>> summaries = new HashMap<>();
    List<AlertEvent> alerts = new ArrayList<>();
    List<SpanRecord> spans = new ArrayList<>();
    try (MonitorApp app = MonitorApp.start(settings)) {
      try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
        events.forEach(producer::send);
      }
      read(kafka, topics, plan.size(), summaries, alerts, spans);
    }

    assertThat(summaries.keySet()).containsExactlyInAnyOrderElementsOf(plan.keySet());
    for (Map.Entry<String, Scenario> g : plan.entrySet()) {
      String id = g.getKey();
      List<AlertEvent> verbatim = alerts.stream().filter(a -> a.generationId().equals(id) && a.rule().equals("verbatim_copy")).toList();
      Map<String, Double> scores = summaries.get(id).get(0).scores();
      double coverage = scores.get("coverage_12");
      // The summary's mosaic describes the spans the spans topic carries for the generation.
      List<SpanRecord> own = spans.stream().filter(s -> s.generationId().equals(id)).toList();
      assertThat(scores.get("verbatim_spans")).as(id).isEqualTo((double) own.size());
      if (!own.isEmpty()) {
        List<Integer> lengths = own.stream().map(SpanRecord::length).sorted().toList();
        assertThat(scores.get("span_length_median")).as(id).isEqualTo((double) lengths.get((lengths.size() + 1) / 2 - 1));
        assertThat(scores.get("span_length_p90")).as(id)
            .isEqualTo((double) lengths.get((int) Math.ceil(0.9 * lengths.size()) - 1));
      }
      assertThat(scores.containsKey("source_switch_rate")).as(id).isEqualTo(own.size() > 1);
      if (g.getValue() == Scenario.VERBATIM_COPY) {
        assertThat(verbatim).as(id).singleElement()
            .satisfies(a -> assertThat(a.sources()).extracting(s -> s.document()).contains("the_coquette.txt"));
        assertThat(spans).as(id).anySatisfy(s -> {
          assertThat(s.generationId()).isEqualTo(id);
          assertThat(s.length()).isGreaterThanOrEqualTo(40);
          assertThat(s.lastSeq()).isGreaterThan(s.firstSeq());
        });
        assertThat(coverage).as(id).isGreaterThan(0.1);
      } else {
        assertThat(verbatim).as(id).isEmpty();
        assertThat(coverage).as(id).isLessThan(0.05);
      }
    }
  }

  private static void read(EmbeddedKafkaBroker kafka, Topics topics, int generations, Map<String, List<ScoreRecord>> summaries,
      List<AlertEvent> alerts, List<SpanRecord> spans) throws Exception {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "attribution-it-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.scores(), topics.alerts(), topics.spans()));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          String json = new String(record.value(), UTF_8);
          if (record.topic().equals(topics.alerts())) {
            alerts.add(EventCodec.fromJson(record.value(), AlertEvent.class));
          } else if (record.topic().equals(topics.spans())) {
            spans.add(EventCodec.fromJson(record.value(), SpanRecord.class));
          } else if (json.contains("\"kind\":\"summary\"")) {
            ScoreRecord summary = EventCodec.fromJson(record.value(), ScoreRecord.class);
            summaries.computeIfAbsent(summary.generationId(), k -> new ArrayList<>()).add(summary);
          }
        }
        if (summaries.size() >= generations && quietUntil == Long.MAX_VALUE) {
          // All summaries are in; alerts and spans of the same transactions are readable by now, but
          // read on briefly to be sure nothing is left.
          quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
  }
}
