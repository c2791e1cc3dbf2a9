package io.driftwatch.streams.reliability;

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
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(BrokerSettings.inDirectory(dir.resolve("kafka")))) {
      String bootstrap = kafka.bootstrapServers();
      try (MonitorApp app = MonitorApp.start(settings(bootstrap, "restart", dir.resolve("state"), topics, (short) 1, 2));
          Feeder feeder = new Feeder(bootstrap, topics.tokens(), workload.inputs(), Duration.ofSeconds(15))) {
        feeder.awaitSent(workload.inputs().size() * 2 / 5);
        assertThat(app.metrics().tokensTotal()).as("tokens scored before the restart").isPositive();
        Set<String> cut = workload.openAfter(feeder.sent());
        assertThat(cut).as("generations streaming when the broker stops").isNotEmpty();
        kafka.stop();
        log.info("broker stopped after {} of {} records, {} generations open, at {} s", feeder.sent(), workload.inputs().size(),
            cut.size(), FailureTestSupport.seconds(started));
        // Down for longer than the transaction timeout of the monitor's producers (10 s with exactly-once)
        // and its consumers' session timeout (6 s here), with transactions open when it stopped.
        Thread.sleep(12_000);
        kafka.startAgain();
        log.info("broker started again at {} s", FailureTestSupport.seconds(started));

        feeder.finish();
        Outputs outputs = readAll(bootstrap, topics, workload, Duration.ofSeconds(150));
        log.info("every output committed at {} s", FailureTestSupport.seconds(started));
        assertSameAsOracle(outputs, workload);
        assertThat(app.state().isRunningOrRebalancing()).as("monitor state %s", app.state()).isTrue();
      }
    }
  }
}
