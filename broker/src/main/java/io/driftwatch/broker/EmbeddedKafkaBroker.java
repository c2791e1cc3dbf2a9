package io.driftwatch.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process), bound to
 * 127.0.0.1. Its data directory is formatted on first start and reused after, like a real installation.
 * It can be {@linkplain #stop() stopped} and {@linkplain #startAgain() started again} on the same ports
 * and directory, as an operator restarts a broker (the failure tests do this mid-stream).
 *
 * <p>Used by {@code driftwatch broker}, by {@code driftwatch demo}, and through
 * {@link EmbeddedKafkaExtension} by the integration tests of every module.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String HOST = KraftNode.HOST;
  private static final int NODE_ID = 1;

  private final BrokerSettings settings;
  private final int controllerPort;
  private final KraftNode node;
  private final boolean freshlyFormatted;
  private boolean closed;

  private EmbeddedKafkaBroker(BrokerSettings settings, int controllerPort, KraftNode node, boolean freshlyFormatted) {
    this.settings = settings;
    this.controllerPort = controllerPort;
    this.node = node;
    this.freshlyFormatted = freshlyFormatted;
  }

  /**
   * Formats the data directory if it is new, starts the broker and waits until it answers requests.
   *
   * @throws BrokerStartException with a message a person can act on (port taken, directory unusable, ...)
   */
  public static EmbeddedKafkaBroker start(BrokerSettings settings) {
    List<Integer> free = freePorts(2);
    int port = settings.port() == 0 ? free.get(0) : settings.port();
    int controllerPort = settings.controllerPort() == 0 ? free.get(1) : settings.controllerPort();
    requireFree(port, "Kafka listener");
    requireFree(controllerPort, "KRaft controller");
    KraftNode node = new KraftNode(NODE_ID, port, controllerPort, NODE_ID + "@" + HOST + ":" + controllerPort,
        settings.dataDir().resolve("kraft-logs"), settings.defaultPartitions(), 1, 1, settings.overrides());
    boolean formatted = node.format(Uuid.randomUuid().toString());
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings, controllerPort, node, formatted);
    broker.startNode();
    log.info("Kafka broker ready on {} (data in {}{})", broker.bootstrapServers(), settings.dataDir(),
        formatted ? ", newly formatted" : ", reused");
    return broker;
  }

  private void startNode() {
    try {
      node.start();
      KraftNode.awaitReady(bootstrapServers(), 1, settings.startTimeout());
    } catch (RuntimeException e) {
      close();
      throw new BrokerStartException("the Kafka broker did not start: " + e.getMessage(), e);
    }
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    return node.address();
  }

  public int port() {
    return node.port();
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

  /** Whether the broker is up: started, and neither stopped nor closed. */
  public boolean running() {
    return node.running();
  }

  /** Client settings that reach this broker, to merge into producer, consumer and admin configs. */
  public Map<String, Object> clientConfig() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /**
   * Creates a topic and returns once every partition takes writes ({@link OpenPartitions}), so that
   * tests may produce to it at once.
   */
  public void createTopic(String name, int partitions) {
    try (Admin admin = Admin.create(clientConfig())) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
      OpenPartitions.await(admin, name, partitions, Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create topic " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops the broker in an orderly way, keeping its ports reserved for {@link #startAgain()}: clients
   * see a broker that went away and retry. Does nothing when it is already stopped.
   */
  public synchronized void stop() {
    if (!node.running()) {
      return;
    }
    long started = System.nanoTime();
    node.stop();
    log.info("Kafka broker on {} stopped in {} ms", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * Starts a {@linkplain #stop() stopped} broker again on the same ports and data directory, and waits
   * until it answers requests; its topics, offsets and transactions are those it had when it stopped.
   *
   * @throws BrokerStartException when it cannot start (a port was taken meanwhile, ...)
   */
  public synchronized void startAgain() {
    if (closed) {
      throw new IllegalStateException("the broker on " + bootstrapServers() + " is closed");
    }
    if (node.running()) {
      throw new IllegalStateException("the broker on " + bootstrapServers() + " is running");
    }
    requireFree(port(), "Kafka listener");
    requireFree(controllerPort, "KRaft controller");
    long started = System.nanoTime();
    startNode();
    log.info("Kafka broker on {} started again in {} ms", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Stops the broker in an orderly way: partitions are closed and the data directory stays consistent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
  }

  /**
   * {@code count} distinct ports the OS says are free now. They are held open together while chosen:
   * asked one at a time, the OS can hand out the same port twice (seen in CI: a node's broker and
   * controller listeners on one port). A later bind could still lose a race, which start() reports.
   */
  static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        socket.setReuseAddress(true);
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new BrokerStartException("no free port on " + HOST + ": " + e.getMessage(), e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // Closing a socket that never accepted anything; nothing to do.
        }
      }
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

  static void requireFree(int port, String what) {
    if (inUse(port)) {
      throw new BrokerStartException("port " + port + " on " + HOST + " (the " + what + ") is already in use;"
          + " stop what uses it or choose another port");
    }
  }
}
