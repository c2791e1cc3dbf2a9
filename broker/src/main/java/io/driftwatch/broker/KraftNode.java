package io.driftwatch.broker;

import java.io.OutputStream;
import java.io.PrintStream;
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
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One KRaft node of an embedded broker or cluster: broker and controller in one server, bound to
 * 127.0.0.1, with its own log directory. It can be stopped and started again on the same ports and
 * directory, as an operator restarts a broker; {@link EmbeddedKafkaBroker} is one such node and
 * {@link EmbeddedKafkaCluster} several.
 */
final class KraftNode {

  static final String HOST = "127.0.0.1";

  private final int nodeId;
  private final int port;
  private final KafkaConfig config;
  private final Path logDir;
  private KafkaRaftServer server;

  /**
   * @param voters the controller quorum, {@code id@host:port,...}
   * @param replication replication of the internal topics (offsets, transactions), which is also the
   *     default replication of new topics
   * @param minInsyncReplicas {@code min.insync.replicas} of every topic, and of the transaction log
   */
  KraftNode(int nodeId, int port, int controllerPort, String voters, Path logDir, int defaultPartitions, int replication,
      int minInsyncReplicas, Map<String, String> overrides) {
    this.nodeId = nodeId;
    this.port = port;
    this.logDir = logDir;
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(nodeId));
    p.put("controller.quorum.voters", voters);
    p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", String.valueOf(defaultPartitions));
    p.put("default.replication.factor", String.valueOf(replication));
    p.put("offsets.topic.replication.factor", String.valueOf(replication));
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", String.valueOf(replication));
    p.put("transaction.state.log.min.isr", String.valueOf(minInsyncReplicas));
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", String.valueOf(replication));
    p.put("share.coordinator.state.topic.min.isr", String.valueOf(minInsyncReplicas));
    p.put("min.insync.replicas", String.valueOf(minInsyncReplicas));
    // A development broker: consumers should not wait for more members to join.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("log.retention.hours", "24");
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.putAll(overrides);
    this.config = KafkaConfig.fromProps(p, false);
  }

  int nodeId() {
    return nodeId;
  }

  int port() {
    return port;
  }

  String address() {
    return HOST + ":" + port;
  }

  /**
   * Writes meta.properties and the bootstrap metadata on first start; a formatted directory is kept.
   *
   * @return whether this call formatted the directory
   */
  boolean format(String clusterId) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return false;
    }
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(nodeId)
          .setClusterId(clusterId)
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

  /** Starts the server; returns before it has joined the quorum (see {@link #awaitReady}). */
  synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("node " + nodeId + " is already running");
    }
    // A KafkaRaftServer cannot be started twice: a restart is a new server over the same directory.
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
  }

  /** Orderly shutdown: partitions are closed and the log directory stays consistent. */
  synchronized void stop() {
    if (server == null) {
      return;
    }
    KafkaRaftServer stopping = server;
    server = null;
    stopping.shutdown();
    stopping.awaitShutdown();
  }

  synchronized boolean running() {
    return server != null;
  }

  /**
   * Waits until a metadata request through {@code bootstrapServers} lists {@code nodes} brokers: startup
   * returns before a broker has registered with its controller, and this is the sign that clients can
   * use it.
   */
  static void awaitReady(String bootstrapServers, int nodes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
    try (Admin admin = Admin.create(props)) {
      RuntimeException last = null;
      while (System.nanoTime() < deadline) {
        try {
          if (admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).size() >= nodes) {
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }
}
