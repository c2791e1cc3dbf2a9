package io.driftwatch.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process), bound to
 * 127.0.0.1. Its data directory is formatted on first start and reused after, like a real installation.
 *
 * <p>Used by {@code driftwatch broker}, by {@code driftwatch demo}, and through
 * {@link EmbeddedKafkaExtension} by the integration tests of every module.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;

  private final BrokerSettings settings;
  private final int port;
  private final int controllerPort;
  private final KafkaRaftServer server;
  private final boolean freshlyFormatted;
  private boolean closed;

  private EmbeddedKafkaBroker(BrokerSettings settings, int port, int controllerPort, KafkaRaftServer server, boolean freshlyFormatted) {
    this.settings = settings;
    this.port = port;
    this.controllerPort = controllerPort;
    this.server = server;
    this.freshlyFormatted = freshlyFormatted;
  }

  /**
   * Formats the data directory if it is new, starts the broker and waits until it answers requests.
   *
   * @throws BrokerStartException with a message a person can act on (port taken, directory unusable, ...)
   */
  public static EmbeddedKafkaBroker start(BrokerSettings settings) {
    int port = settings.port() == 0 ? freePort() : settings.port();
    int controllerPort = settings.controllerPort() == 0 ? freePort() : settings.controllerPort();
    requireFree(port, "Kafka listener");
    requireFree(controllerPort, "KRaft controller");
    Path logDir = settings.dataDir().resolve("kraft-logs");
    KafkaConfig config = KafkaConfig.fromProps(properties(settings, logDir, port, controllerPort), false);
    boolean formatted = format(config, logDir);

    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings, port, controllerPort, server, formatted);
    try {
      server.startup();
      broker.awaitReady(settings.startTimeout());
    } catch (RuntimeException e) {
      broker.close();
      throw new BrokerStartException("the Kafka broker did not start: " + e.getMessage(), e);
    }
    log.info("Kafka broker ready on {} (data in {}{})", broker.bootstrapServers(), settings.dataDir(),
        formatted ? ", newly formatted" : ", reused");
    return broker;
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  public Path dataDir() {
    return settings.dataDir();
  }

  /** Whether this start formatted the data directory (false when an earlier start had). */
  public boolean freshlyFormatted() {
    return freshlyFormatted;
  }

  /** Client settings that reach this broker, to merge into producer, consumer and admin configs. */
  public Map<String, Object> clientConfig() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** Stops the broker in an orderly way: partitions are closed and the data directory stays consistent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    server.shutdown();
    server.awaitShutdown();
    log.info("Kafka broker on {} stopped in {} ms", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private void awaitReady(Duration timeout) {
    // Startup returns before the broker has registered with its controller; a metadata request
    // answered with one node is the sign that clients can use it.
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
    try (Admin admin = Admin.create(props)) {
      RuntimeException last = null;
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          last = new IllegalStateException(e.getMessage(), e);
        }
        sleep(100);
      }
      throw new IllegalStateException("not ready within " + timeout.toSeconds() + " s", last);
    }
  }

  private static Properties properties(BrokerSettings settings, Path logDir, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", String.valueOf(settings.defaultPartitions()));
    // One node: every internal topic has one replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    // A development broker: consumers should not wait for more members to join.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("log.retention.hours", "24");
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.putAll(settings.overrides());
    return p;
  }

  /** Writes meta.properties and the bootstrap metadata on first start; a formatted directory is kept. */
  private static boolean format(KafkaConfig config, Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return false;
    }
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName("CONTROLLER")
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
      return true;
    } catch (Exception e) {
      throw new BrokerStartException("cannot format the Kafka data directory " + logDir + ": " + e.getMessage(), e);
    }
  }

  /** A port the OS says is free now; a later bind could still lose a race, which start() reports. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new BrokerStartException("no free port on " + HOST + ": " + e.getMessage(), e);
    }
  }

  /** Whether something already accepts connections on the port of 127.0.0.1. */
  public static boolean inUse(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void requireFree(int port, String what) {
    if (inUse(port)) {
      throw new BrokerStartException("port " + port + " on " + HOST + " (the " + what + ") is already in use;"
          + " stop what uses it or choose another port");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }
}
