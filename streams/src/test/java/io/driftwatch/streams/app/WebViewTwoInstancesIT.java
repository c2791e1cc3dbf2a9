package io.driftwatch.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.streams.view.ViewStores;
import io.driftwatch.streams.web.WebSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the monitor share the partitions; each web view answers for every generation,
 * fetching the ones the other instance holds from it (interactive queries and the internal HTTP call).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class WebViewTwoInstancesIT {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  private static final int GENERATIONS = 12;
  private static final int BASELINE_WARMUP = 2;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void eachInstanceServesTheGenerationsTheOtherHolds(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    Topics topics = Topics.withPrefix("web-it.");
    MonitorAppSettings base = MonitorAppSettings.builder(kafka.bootstrapServers(), dir)
        .applicationId("web-it").topics(topics).metricsPort(0).web(WebSettings.on("127.0.0.1", 0))
        .monitor(MonitorSettings.DEFAULTS.withBaseline(new BaselineSettings(BASELINE_WARMUP, null, Map.of()))).build();
    try (MonitorApp a = MonitorApp.start(settingsIn(base, dir.resolve("a")));
        MonitorApp b = MonitorApp.start(settingsIn(base, dir.resolve("b")))) {
      awaitBothOwnPartitions(a);
      Map<String, List<GenerationEvent>> generations = generations();
      try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
        for (List<GenerationEvent> events : generations.values()) {
          for (GenerationEvent e : events) {
            producer.send(e);
          }
        }
      }
      awaitClosed(a, GENERATIONS);

      HostInfo hostA = new HostInfo("127.0.0.1", a.webPort());
      HostInfo hostB = new HostInfo("127.0.0.1", b.webPort());
      int servedThroughTheOther = 0;
      List<HostInfo> owners = new ArrayList<>();
      for (Map.Entry<String, List<GenerationEvent>> g : generations.entrySet()) {
        String id = g.getKey();
        HostInfo owner = a.streams().queryMetadataForKey(ViewStores.SUMMARIES, id, new StringSerializer()).activeHost();
        assertThat(owner).isIn(hostA, hostB);
        owners.add(owner);
        HostInfo other = owner.equals(hostA) ? hostB : hostA;

        HttpResponse<String> direct = get(owner, "/api/generations/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        HttpResponse<String> viaOther = get(other, "/api/generations/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        assertThat(viaOther.statusCode()).as(id).isEqualTo(200);
        assertThat(viaOther.headers().firstValue("X-Driftwatch-Served-By")).as(id).contains("127.0.0.1:" + owner.port());
        assertThat(viaOther.body()).as(id).isEqualTo(direct.body());

        JsonNode view = EventCodec.MAPPER.readTree(viaOther.body());
        assertThat(view.path("served_by").asText()).isEqualTo("127.0.0.1:" + owner.port());
        assertThat(view.path("generation").path("status").asText()).isEqualTo("closed");
        assertThat(view.path("tokens")).hasSize(g.getValue().size() - 2);
        assertThat(view.path("scores").get(view.path("scores").size() - 1).path("kind").asText()).isEqualTo("summary");
        servedThroughTheOther++;
      }
      assertThat(servedThroughTheOther).isEqualTo(GENERATIONS);
      // Both directions were exercised: each instance holds some of the generations.
      assertThat(owners).contains(hostA, hostB);

      // The overview and the lists add up both instances, whichever one answers.
      for (HostInfo host : List.of(hostA, hostB)) {
        JsonNode overview = EventCodec.MAPPER.readTree(get(host, "/api/overview").body());
        assertThat(overview.path("totals").path("generations").asLong()).isEqualTo(GENERATIONS);
        assertThat(overview.path("instances").path("asked").asInt()).isEqualTo(2);
        assertThat(overview.path("instances").path("failed")).isEmpty();
        JsonNode list = EventCodec.MAPPER.readTree(get(host, "/api/generations?status=closed").body());
        assertThat(list.path("generations")).hasSize(GENERATIONS);
      }
      assertThat(get(hostA, "/api/generations/no-such-generation").statusCode()).isEqualTo(404);

      // Each scoring task's baselines, from both instances whichever answers: warming up or ready.
      String fromA = get(hostA, "/api/baselines").body();
      assertThat(get(hostB, "/api/baselines").body()).isEqualTo(fromA);
      JsonNode baselines = EventCodec.MAPPER.readTree(fromA);
      assertThat(baselines.path("instances").path("asked").asInt()).isEqualTo(2);
      List<String> models = new ArrayList<>();
      java.util.Set<Integer> partitions = new java.util.HashSet<>();
      for (JsonNode row : baselines.path("baselines")) {
        models.add(row.path("model").asText());
        partitions.add(row.path("partition").asInt());
        int learned = row.path("generations").asInt();
        assertThat(learned).isBetween(1, BASELINE_WARMUP);
        assertThat(row.path("warmup").asInt()).isEqualTo(BASELINE_WARMUP);
        assertThat(row.path("ready").asBoolean()).isEqualTo(learned == BASELINE_WARMUP);
        assertThat(row.path("quantiles").isEmpty()).isEqualTo(learned < BASELINE_WARMUP);
      }
      assertThat(models).contains("model-0", "model-1");
      // Rows from the tasks of both instances: every partition had generations, and each instance holds only some.
      assertThat(partitions).hasSize(base.partitions());
      assertThat(baselines.path("baselines")).anyMatch(row -> row.path("ready").asBoolean());
    }
  }

  private static MonitorAppSettings settingsIn(MonitorAppSettings base, Path stateDir) {
    return base.toBuilder().stateDir(stateDir).build();
  }

  /** After the second instance joins, the group rebalances; wait until both instances hold partitions. */
  private void awaitBothOwnPartitions(MonitorApp a) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode instances = EventCodec.MAPPER.readTree(get(new HostInfo("127.0.0.1", a.webPort()), "/api/instances").body())
          .path("instances");
      boolean ready = a.state() == KafkaStreams.State.RUNNING && instances.size() == 2;
      for (JsonNode i : instances) {
        ready &= !i.path("partitions").isEmpty();
      }
      if (ready) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the two instances did not share the partitions within 60 s");
  }

  private void awaitClosed(MonitorApp a, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int closed = 0;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(new HostInfo("127.0.0.1", a.webPort()), "/api/generations?status=closed");
      if (r.statusCode() == 200) {
        closed = EventCodec.MAPPER.readTree(r.body()).path("generations").size();
        if (closed == count) {
          return;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("only " + closed + " of " + count + " generations closed in the view within 90 s");
  }

  private HttpResponse<String> get(HostInfo host, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, List<GenerationEvent>> generations() {
    DemoCorpus corpus = DemoCorpus.load();
    Random random = new Random(27);
    Map<String, List<GenerationEvent>> out = new LinkedHashMap<>();
    for (int i = 0; i < GENERATIONS; i++) {
      Scenario scenario = Scenario.values()[i % Scenario.values().length];
      Scenario.Script script = scenario.script(corpus, random, 120);
      String id = "web-" + scenario.label() + "-" + i;
      List<GenerationEvent> events = new ArrayList<>();
      events.add(new GenerationEvent.Start(1, id, "web-it", "model-" + (i % 2), script.prompt(), null, Map.of(), T0));
      for (int seq = 0; seq < script.tokens().size(); seq++) {
        events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, -0.2, null, T0.plusMillis(25L * seq)));
      }
      events.add(new GenerationEvent.End(1, id, "length", T0.plusSeconds(10)));
      out.put(id, events);
    }
    return out;
  }
}
