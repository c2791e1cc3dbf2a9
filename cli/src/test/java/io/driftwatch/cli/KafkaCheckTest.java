package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** What run and tap learn about Kafka before they load anything, and how fast. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaCheckTest {

  @Test
  void aRunningBrokerPasses(EmbeddedKafkaBroker kafka) {
    assertThat(KafkaCheck.problem(kafka.bootstrapServers(), Map.of(), KafkaCheck.TIMEOUT)).isEmpty();
  }

  @Test
  void nothingListeningIsNamedWithTheAddress() throws Exception {
    int port = closedPort();
    long started = System.nanoTime();
    Optional<String> problem = KafkaCheck.problem("127.0.0.1:" + port, Map.of(), KafkaCheck.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a refused connection needs no Kafka timeout").isLessThan(Duration.ofSeconds(2));
    assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("127.0.0.1:" + port, "connection refused", "is Kafka running"));
  }

  @Test
  void aPortThatIsNotKafkaIsToldApart() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (Exception e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Optional<String> problem = KafkaCheck.problem("127.0.0.1:" + silent.getLocalPort(), Map.of(), Duration.ofSeconds(2));
      assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("accepts connections but no Kafka answer", "--kafka-config"));
    }
  }

  @Test
  void anUnresolvableHostIsSaid() {
    assertThat(KafkaCheck.problem("no-such-host.invalid:9092", Map.of(), Duration.ofSeconds(2)))
        .hasValueSatisfying(p -> assertThat(p).contains("no-such-host.invalid:9092"));
  }

  @Test
  void runFailsWithinSecondsNamingTheAddressBeforeLoadingAnything() throws Exception {
    int port = closedPort();
    StringWriter err = new StringWriter();
    CommandLine cli = Driftwatch.commandLine();
    cli.setErr(new PrintWriter(err));
    long started = System.nanoTime();
    int exit = cli.execute("run", "--bootstrap", "127.0.0.1:" + port, "--metrics-port", "0");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("127.0.0.1:" + port, "connection refused").doesNotContain("Exception");
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
