package io.driftwatch.cli;

import io.driftwatch.broker.BrokerSettings;
import io.driftwatch.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftwatch broker}: a real single-node Kafka broker for development, until Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a real single-node Apache Kafka broker (KRaft mode, no ZooKeeper) on 127.0.0.1. "
          + "The data directory is formatted on first start and reused after, so topics survive restarts.",
      "Stop it with Ctrl-C; it shuts down cleanly.",
      ""
    })
final class BrokerCommand implements Callable<Integer> {

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the broker keeps its data (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.driftwatch/broker")
  Path dataDir;

  @Option(names = "--port", paramLabel = "PORT", description = "Client listener port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
      defaultValue = "9092")
  int port;

  @Option(names = "--controller-port", paramLabel = "PORT",
      description = "KRaft controller port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  int controllerPort;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions of auto-created topics (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int partitions;

  @Override
  public Integer call() throws InterruptedException {
    BrokerSettings settings = new BrokerSettings(dataDir, port, controllerPort, partitions, Duration.ofSeconds(60), Map.of());
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings);
    System.out.printf("Kafka broker ready: bootstrap servers %s%n", broker.bootstrapServers());
    System.out.printf("  data directory  %s (%s)%n", broker.dataDir(), broker.freshlyFormatted() ? "newly formatted" : "reused");
    System.out.printf("  try it          kcat -b %s -L%n", broker.bootstrapServers());
    System.out.println("Press Ctrl-C to stop.");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      System.out.println("Kafka broker stopped.");
      stopped.countDown();
    }, "driftwatch-broker-shutdown"));
    stopped.await();
    return 0;
  }
}
