package io.driftwatch.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-node Apache Kafka cluster in KRaft mode on 127.0.0.1, in this JVM: every node is broker
 * and controller at once, the nodes form the controller quorum, and internal topics (offsets,
 * transactions) are replicated to {@code min(3, nodes)} nodes with {@code min.insync.replicas} one less
 * (two for three nodes), so that the cluster survives the loss of one node without losing acknowledged
 * writes. For tests that a single broker cannot answer: replication, leader changes, a node that dies.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

  private final List<KraftNode> nodes;
  private final int replication;
  private boolean closed;

  private EmbeddedKafkaCluster(List<KraftNode> nodes, int replication) {
    this.nodes = nodes;
    this.replication = replication;
  }

  /**
   * Formats each node's directory under {@code dataDir} if it is new, starts the nodes together (a
   * quorum needs a majority before any node can serve) and waits until every broker is registered.
   *
   * @param size number of nodes, at least 1
   * @param overrides any other broker properties, applied last on every node
   */
  public static EmbeddedKafkaCluster start(Path dataDir, int size, int defaultPartitions, Duration startTimeout,
      Map<String, String> overrides) {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
    }
    List<Integer> free = EmbeddedKafkaBroker.freePorts(2 * size);
    List<Integer> ports = free.subList(0, size);
    List<Integer> controllerPorts = free.subList(size, 2 * size);
    String voters = java.util.stream.IntStream.range(0, size)
        .mapToObj(i -> (i + 1) + "@" + KraftNode.HOST + ":" + controllerPorts.get(i))
        .collect(Collectors.joining(","));
    int replication = Math.min(3, size);
    int minInsync = Math.max(1, replication - 1);
    List<KraftNode> nodes = new ArrayList<>();
    String clusterId = Uuid.randomUuid().toString();
    for (int i = 0; i < size; i++) {
      KraftNode node = new KraftNode(i + 1, ports.get(i), controllerPorts.get(i), voters, dataDir.resolve("node-" + (i + 1)),
          defaultPartitions, replication, minInsync, overrides);
      node.format(clusterId);
      nodes.add(node);
    }
    EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(List.copyOf(nodes), replication);
    long started = System.nanoTime();
    try {
      // In parallel: a node's startup may wait for the quorum, which the other nodes complete.
      eachInParallel(nodes, KraftNode::start);
      KraftNode.awaitReady(cluster.bootstrapServers(), size, startTimeout);
    } catch (RuntimeException e) {
      cluster.close();
      throw new BrokerStartException("the Kafka cluster did not start: " + e.getMessage(), e);
    }
    log.info("Kafka cluster of {} nodes ready on {} in {} ms (data in {})", size, cluster.bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDir);
    return cluster;
  }

  /** Three nodes, three partitions per topic, a 60-second start timeout. */
  public static EmbeddedKafkaCluster start(Path dataDir) {
    return start(dataDir, 3, 3, Duration.ofSeconds(60), Map.of());
  }

  /** The {@code bootstrap.servers} value for clients: every node's address. */
  public String bootstrapServers() {
    return nodes.stream().map(KraftNode::address).collect(Collectors.joining(","));
  }

  public int size() {
    return nodes.size();
  }

  /** Replication of the internal topics and default replication of new topics. */
  public short replicationFactor() {
    return (short) replication;
  }

  /** Stops every node; nodes stop together, since the last ones would otherwise wait for a lost quorum. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    eachInParallel(nodes, KraftNode::stop);
    log.info("Kafka cluster on {} stopped in {} ms", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static void eachInParallel(List<KraftNode> nodes, java.util.function.Consumer<KraftNode> action) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (KraftNode node : nodes) {
      // Own threads, not the common pool: startup and shutdown block for seconds.
      CompletableFuture<Void> done = new CompletableFuture<>();
      Thread thread = new Thread(() -> {
        try {
          action.accept(node);
          done.complete(null);
        } catch (Throwable t) {
          done.completeExceptionally(t);
        }
      }, "kraft-node-" + node.nodeId());
      thread.start();
      all.add(done);
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }
}
