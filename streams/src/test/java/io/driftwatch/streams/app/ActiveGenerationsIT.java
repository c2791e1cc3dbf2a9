package io.driftwatch.streams.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One instance, three partitions, so three tasks each counting their own open generations: the
 * scraped driftwatch_active_generations must be their sum (not the count of whichever task checked last).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ActiveGenerationsIT {

  @Test
  void theGaugeCountsTheOpenGenerationsOfEveryTask(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    Topics topics = Topics.withPrefix("active-it.");
    MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
        .applicationId("active-it").topics(topics).metricsPort(0).build();
    Instant now = Instant.now();
    try (MonitorApp app = MonitorApp.start(settings)) {
      Set<Integer> partitions = new HashSet<>();
      try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
        for (int i = 0; i < 7; i++) {
          String id = "open-" + i;
          partitions.add(Utils.toPositive(Utils.murmur2(id.getBytes(UTF_8))) % settings.partitions());
          producer.send(new GenerationEvent.Start(1, id, "it", "model", "Say something.", null, Map.of(), now));
          producer.send(new GenerationEvent.Token(1, id, 0L, "Something", null, null, null, now));
        }
      }
      assertThat(partitions).as("generations on every partition").hasSize(settings.partitions());
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      double gauge = -1;
      while (System.nanoTime() < deadline) {
        String body = http.send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).build(), HttpResponse.BodyHandlers.ofString()).body();
        gauge = body.lines().filter(l -> l.startsWith("driftwatch_active_generations "))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
        if (gauge == 7) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(gauge).isEqualTo(7);
    }
  }

  /** Two instances share three partitions: their gauges add up to the web view's count of open generations. */
  @Test
  void theGaugesOfTwoInstancesAddUpToTheWebViewsOpenCount(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    Topics topics = Topics.withPrefix("active-two-it.");
    MonitorAppSettings base = MonitorAppSettings.builder(kafka.bootstrapServers(), dir)
        .applicationId("active-two-it").topics(topics).metricsPort(0)
        .web(io.driftwatch.streams.web.WebSettings.on("127.0.0.1", 0)).build();
    Instant now = Instant.now();
    int open = 9;
    try (MonitorApp a = MonitorApp.start(in(base, dir.resolve("a")));
        MonitorApp b = MonitorApp.start(in(base, dir.resolve("b")))) {
      HttpClient http = HttpClient.newHttpClient();
      try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
        for (int i = 0; i < open; i++) {
          String id = "two-" + i;
          producer.send(new GenerationEvent.Start(1, id, "it", "model", "Say something.", null, Map.of(), now));
          producer.send(new GenerationEvent.Token(1, id, 0L, "Something", null, null, null, now));
        }
        // Two more that end: they must count in neither.
        for (int i = 0; i < 2; i++) {
          String id = "two-ended-" + i;
          producer.send(new GenerationEvent.Start(1, id, "it", "model", "Say something.", null, Map.of(), now));
          producer.send(new GenerationEvent.Token(1, id, 0L, "Done.", null, null, null, now));
          producer.send(new GenerationEvent.End(1, id, "stop", now));
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      double sum = -1;
      int viewOpen = -1;
      double gaugeA = -1;
      double gaugeB = -1;
      while (System.nanoTime() < deadline) {
        gaugeA = gauge(http, a);
        gaugeB = gauge(http, b);
        sum = gaugeA + gaugeB;
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.webPort() + "/api/generations?status=open"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        viewOpen = io.driftwatch.contract.EventCodec.MAPPER.readTree(list).path("generations").size();
        if (sum == open && viewOpen == open && gaugeA > 0 && gaugeB > 0) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(viewOpen).as("the web view's open generations").isEqualTo(open);
      assertThat(sum).as("instance a %s + instance b %s", gaugeA, gaugeB).isEqualTo(viewOpen);
      assertThat(gaugeA).as("instance a holds some").isPositive();
      assertThat(gaugeB).as("instance b holds some").isPositive();
    }
  }

  private static double gauge(HttpClient http, MonitorApp app) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).build(), HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith("driftwatch_active_generations "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
  }

  private static MonitorAppSettings in(MonitorAppSettings base, Path stateDir) {
    return base.toBuilder().stateDir(stateDir).build();
  }
}
