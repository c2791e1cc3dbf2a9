package io.driftwatch.streams.reliability;

import static io.driftwatch.streams.reliability.FailureTestSupport.assertSameAsOracle;
import static io.driftwatch.streams.reliability.FailureTestSupport.readAll;
import static io.driftwatch.streams.reliability.FailureTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.Topics;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.app.MonitorAppSettings;
import io.driftwatch.streams.reliability.FailureTestSupport.Feeder;
import io.driftwatch.streams.reliability.FailureTestSupport.Outputs;
import io.driftwatch.streams.reliability.FailureTestSupport.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only instance is stopped while generations are streaming, its state directory is deleted (a lost
 * disk, a new machine), and it is started again with the same application id. The open generations'
 * state comes back from the changelog topics, and the committed output is exactly that of an
 * undisturbed run.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class StateWipeIT {

  private static final Logger log = LoggerFactory.getLogger(StateWipeIT.class);

  @Test
  void instanceRestartedWithItsStateDirectoryWiped(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    Workload workload = FailureTestSupport.sharedWorkload();
    log.info("workload: {}", workload);
    Topics topics = Topics.withPrefix("wipe.");
    String bootstrap = kafka.bootstrapServers();
    Path stateDir = dir.resolve("state");
    MonitorAppSettings settings = settings(bootstrap, "wipe", stateDir, topics, (short) 1, 2);
    long started = System.nanoTime();
    // The monitor creates the topics (with four partitions) before anything is produced.
    MonitorApp first = MonitorApp.start(settings);
    try (Feeder feeder = new Feeder(bootstrap, topics.tokens(), workload.inputs(), Duration.ofSeconds(15))) {
      try {
        feeder.awaitSent(workload.inputs().size() * 2 / 5);
        assertThat(first.metrics().tokensTotal()).as("tokens scored before the stop").isPositive();
      } finally {
        first.close();
      }
      // Generations with committed sentence records and no summary yet: their state is in the stores
      // about to be wiped and in the changelogs, and their summaries can only be right if it comes back.
      Set<String> unfinished = FailureTestSupport.readCommittedSoFar(bootstrap, topics).unfinished();
      assertThat(unfinished).as("generations half scored when the state is wiped").isNotEmpty();
      assertThat(stateDir).isNotEmptyDirectory();
      FailureTestSupport.wipe(stateDir);
      log.info("stopped and wiped after {} of {} records, {} generations half scored, at {} s", feeder.sent(),
          workload.inputs().size(), unfinished.size(), FailureTestSupport.seconds(started));

      try (MonitorApp second = MonitorApp.start(settings)) {
        log.info("started again at {} s", FailureTestSupport.seconds(started));
        feeder.finish();
        Outputs outputs = readAll(bootstrap, topics, workload, Duration.ofSeconds(150));
        log.info("every output committed at {} s", FailureTestSupport.seconds(started));
        assertSameAsOracle(outputs, workload);
        assertThat(second.state().isRunningOrRebalancing()).as("monitor state %s", second.state()).isTrue();
      }
    }
  }
}
