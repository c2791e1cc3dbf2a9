package io.driftwatch.streams.reliability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.driftwatch.streams.app.MonitorHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static io.driftwatch.streams.reliability.FailureTestSupport.assertSameAsOracle;
import static io.driftwatch.streams.reliability.FailureTestSupport.readAll;
import static io.driftwatch.streams.reliability.FailureTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.BrokerSettings;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.contract.Topics;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.reliability.FailureTestSupport.Feeder;
import io.driftwatch.streams.reliability.FailureTestSupport.Outputs;
import io.driftwatch.streams.reliability.FailureTestSupport.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker (a broker of this test's own, not the shared one) is stopped while generations are
 * streaming and started again on the same ports and data a few seconds later. The monitor and the
 * producer ride it out, and the committed output is exactly that of an undisturbed run.
 */
class BrokerRestartIT {

  private static final Logger log = LoggerFactory.getLogger(BrokerRestartIT.class);

  @Test
  void brokerRestartedMidStream(@TempDir Path dir) throws Exception {
    Workload workload = FailureTestSupport.sharedWorkload();
    log.info("workload: {}", workload);
    Topics topics = Topics.withPrefix("restart.");
    long started = System.nanoTime();
    ListAppender<ILoggingEvent> kafkaLines = new ListAppender<>();
    kafkaLines.start();
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(MonitorHealth.class)).addAppender(kafkaLines);
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(BrokerSettings.inDirectory(dir.resolve("kafka")))) {
      String bootstrap = kafka.bootstrapServers();
      try (MonitorApp app = MonitorApp.start(settings(bootstrap, "restart", dir.resolve("state"), topics, (short) 1, 2));
          Feeder feeder = new Feeder(bootstrap, topics.tokens(), workload.inputs(), Duration.ofSeconds(15))) {
        feeder.awaitSent(workload.inputs().size() * 2 / 5);
        assertThat(app.metrics().tokensTotal()).as("tokens scored before the restart").isPositive();
        Set<String> cut = workload.openAfter(feeder.sent());
        assertThat(cut).as("generations streaming when the broker stops").isNotEmpty();
        assertThat(ready(app)).as("ready before the broker stops: %s", app.health()).isTrue();
        kafka.stop();
        long stoppedAt = System.nanoTime();
        log.info("broker stopped after {} of {} records, {} generations open, at {} s", feeder.sent(), workload.inputs().size(),
            cut.size(), FailureTestSupport.seconds(started));
        // Down for longer than the transaction timeout of the monitor's producers (10 s with exactly-once)
        // and its consumers' session timeout (6 s here), with transactions open when it stopped; the
        // monitor must say it is not ready meanwhile.
        boolean notReady = false;
        while (System.nanoTime() - stoppedAt < Duration.ofSeconds(12).toNanos()) {
          notReady |= !ready(app);
          Thread.sleep(250);
        }
        assertThat(notReady).as("/health/ready answered 503 while the broker was down").isTrue();
        kafka.startAgain();
        log.info("broker started again at {} s", FailureTestSupport.seconds(started));

        feeder.finish();
        Outputs outputs = readAll(bootstrap, topics, workload, Duration.ofSeconds(150));
        log.info("every output committed at {} s", FailureTestSupport.seconds(started));
        assertSameAsOracle(outputs, workload);
        assertThat(app.state().isRunningOrRebalancing()).as("monitor state %s", app.state()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ready(app) && System.nanoTime() < deadline) {
          Thread.sleep(250);
        }
        assertThat(ready(app)).as("ready again after the broker returned: %s", app.health()).isTrue();
        List<String> lines = kafkaLines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).as("one line when Kafka went, one when it came back").hasSize(2);
        assertThat(lines.get(0)).startsWith("Kafka unreachable since ");
        assertThat(lines.get(1)).contains("reconnected after");
      }
    }
  }

  /** What the metrics endpoint's /health/ready answers: 200 ready, 503 not. */
  private static boolean ready(MonitorApp app) throws Exception {
    String base = app.metricsUrl().replace("/metrics", "");
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200;
  }
}
