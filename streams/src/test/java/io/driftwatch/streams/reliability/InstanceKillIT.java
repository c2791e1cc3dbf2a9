package io.driftwatch.streams.reliability;

import static io.driftwatch.streams.reliability.FailureTestSupport.assertSameAsOracle;
import static io.driftwatch.streams.reliability.FailureTestSupport.readAll;
import static io.driftwatch.streams.reliability.FailureTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaCluster;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.Topics;
import io.driftwatch.streams.app.MonitorApp;
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
 * Two monitor instances share the work (same application id, four partitions); one of them, a JVM of
 * its own, is killed with SIGKILL while generations are streaming. The other takes over its tasks, and
 * what is committed on the output topics is exactly what an undisturbed run writes: the offline
 * scorer's records, one summary per generation, no duplicate and no gap.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class InstanceKillIT {

  private static final Logger log = LoggerFactory.getLogger(InstanceKillIT.class);

  @Test
  void oneOfTwoInstancesKilledMidStream(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    killOneOfTwo(kafka.bootstrapServers(), (short) 1, dir, "kill");
  }

  /** The same on three brokers: every topic, internal ones included, replicated three times. */
  @Test
  void oneOfTwoInstancesKilledMidStreamOnAThreeNodeCluster(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir.resolve("kafka"))) {
      killOneOfTwo(cluster.bootstrapServers(), cluster.replicationFactor(), dir, "kill-cluster");
    }
  }

  private static void killOneOfTwo(String bootstrap, short replication, Path dir, String name) throws Exception {
    Workload workload = FailureTestSupport.sharedWorkload();
    log.info("workload: {}", workload);
    Topics topics = Topics.withPrefix(name + ".");
    long started = System.nanoTime();
    try (MonitorProcess victim = MonitorProcess.start(bootstrap, name, dir.resolve("state-victim"), name + ".", replication,
            Path.of("target", "reliability-logs", name + "-victim.log"));
        MonitorApp survivor = MonitorApp.start(settings(bootstrap, name, dir.resolve("state-survivor"), topics, replication, 1));
        Feeder feeder = new Feeder(bootstrap, topics.tokens(), workload.inputs(), Duration.ofSeconds(15))) {
      feeder.awaitSent(workload.inputs().size() * 2 / 5);
      // The victim must be doing part of the work when it dies.
      while (victim.tokensScored() == 0 && feeder.sent() < workload.inputs().size()) {
        Thread.sleep(50);
      }
      assertThat(victim.tokensScored()).as("tokens the killed instance scored").isPositive();
      Set<String> cut = workload.openAfter(feeder.sent());
      assertThat(cut).as("generations streaming when the instance dies").isNotEmpty();
      victim.kill();
      log.info("{}: killed the second instance after {} of {} records, {} generations open, at {} s", name, feeder.sent(),
          workload.inputs().size(), cut.size(), FailureTestSupport.seconds(started));

      feeder.finish();
      Outputs outputs = readAll(bootstrap, topics, workload, Duration.ofSeconds(150));
      log.info("{}: every output committed at {} s", name, FailureTestSupport.seconds(started));
      assertSameAsOracle(outputs, workload);
      assertThat(survivor.state().isRunningOrRebalancing()).as("survivor state %s", survivor.state()).isTrue();
    }
  }
}
