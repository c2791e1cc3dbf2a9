package io.driftwatch.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Asks the Kafka cluster who it is (describeCluster) with a short timeout, before a command loads a
 * model or opens anything, and says in one sentence what is wrong when it cannot: the address, and the
 * likely cause found by also trying a plain TCP connection to each bootstrap address.
 */
final class KafkaCheck {

  /** How long the whole check may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private KafkaCheck() {}

  /** Empty when the cluster answered; otherwise what is wrong, naming the address. */
  static Optional<String> problem(String bootstrap, Map<String, String> kafkaConfig, Duration timeout) {
    // A plain connection first: when no address takes one, the Kafka client would only wait out its
    // timeout to say less.
    Connections connections = connect(bootstrap, timeout);
    if (!connections.anyOpen()) {
      return Optional.of("Kafka is not reachable at " + bootstrap + ": " + String.join("; ", connections.causes()));
    }
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    int millis = (int) timeout.toMillis();
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) Math.max(500, millis / 2));
    config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) Math.max(500, millis / 2));
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "driftwatch-kafka-check");
    Admin admin;
    try {
      admin = Admin.create(config);
    } catch (KafkaException e) {
      // Raised at once for addresses that do not parse or resolve.
      return Optional.of("cannot use Kafka bootstrap address " + bootstrap + ": " + rootMessage(e));
    }
    try {
      admin.describeCluster().clusterId().get(millis, TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SslAuthenticationException) {
        return Optional.of("Kafka at " + bootstrap + " refused the TLS handshake (" + rootMessage(cause)
            + "): check the ssl.* settings in --kafka-config");
      }
      if (cause instanceof SaslAuthenticationException || cause instanceof AuthenticationException) {
        return Optional.of("Kafka at " + bootstrap + " refused the credentials (" + rootMessage(cause)
            + "): check the sasl.* settings in --kafka-config");
      }
      return Optional.of(unreachable(bootstrap, timeout, rootMessage(cause)));
    } catch (TimeoutException e) {
      return Optional.of(unreachable(bootstrap, timeout, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking Kafka at " + bootstrap);
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  /** What plain connections to the bootstrap addresses found. */
  private record Connections(boolean anyOpen, List<String> causes) {}

  private static Connections connect(String bootstrap, Duration timeout) {
    List<String> causes = new ArrayList<>();
    boolean anyOpen = false;
    for (String address : bootstrap.split(",")) {
      String hostPort = address.trim().replaceFirst("^[A-Za-z0-9_]+://", "");
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) {
        causes.add(hostPort + ": no port");
        continue;
      }
      String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
      int port;
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        causes.add(hostPort + ": the port is not a number");
        continue;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), (int) Math.min(2000, timeout.toMillis()));
        anyOpen = true;
      } catch (UnknownHostException e) {
        causes.add(hostPort + ": the host name does not resolve");
      } catch (ConnectException e) {
        causes.add(hostPort + ": connection refused, nothing listens there (is Kafka running?)");
      } catch (SocketTimeoutException e) {
        causes.add(hostPort + ": no answer to a connection (a firewall, or the wrong address)");
      } catch (IOException e) {
        causes.add(hostPort + ": " + e.getMessage());
      }
    }
    return new Connections(anyOpen, causes);
  }

  /** Why no Kafka answer came although a connection could be made, or could not any more. */
  private static String unreachable(String bootstrap, Duration timeout, String kafkaMessage) {
    Connections connections = connect(bootstrap, timeout);
    String why = connections.anyOpen()
        ? "the port accepts connections but no Kafka answer came: the listener may need TLS or SASL (--kafka-config), "
            + "it may not be Kafka, or the broker advertises an address this machine cannot reach (advertised.listeners)"
        : String.join("; ", connections.causes());
    return "Kafka is not reachable at " + bootstrap + " (no answer within " + timeout.toSeconds() + " s): " + why
        + (kafkaMessage != null ? " (" + kafkaMessage + ")" : "");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
