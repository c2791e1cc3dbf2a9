package io.driftwatch.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to run the embedded broker.
 *
 * @param dataDir where the broker keeps its logs and metadata; formatted on first start, reused after
 * @param port the client listener on 127.0.0.1; 0 picks a free port
 * @param controllerPort the KRaft controller listener on 127.0.0.1; 0 picks a free port
 * @param defaultPartitions partitions of topics created without an explicit count
 * @param startTimeout how long to wait for the broker to answer requests
 * @param overrides any other broker properties, applied last
 */
public record BrokerSettings(
    Path dataDir, int port, int controllerPort, int defaultPartitions, Duration startTimeout, Map<String, String> overrides) {

  public static final int DEFAULT_PORT = 9092;

  public BrokerSettings {
    overrides = Map.copyOf(overrides);
  }

  /** Free ports, three partitions per topic, a 60-second start timeout. */
  public static BrokerSettings inDirectory(Path dataDir) {
    return new BrokerSettings(dataDir, 0, 0, 3, Duration.ofSeconds(60), Map.of());
  }

  public BrokerSettings withPort(int port) {
    return new BrokerSettings(dataDir, port, controllerPort, defaultPartitions, startTimeout, overrides);
  }
}
