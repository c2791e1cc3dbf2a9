package io.driftwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a real {@link EmbeddedKafkaBroker}.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedKafkaExtension.class)
 * class MyIT {
 *   @Test void roundTrip(EmbeddedKafkaBroker kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>One broker serves the whole test run (started on first use, stopped and deleted when the run ends),
 * because starting Kafka costs seconds and tests isolate themselves with their own topic names.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class)
        .broker();
  }

  /** The run's broker and its temporary directory, closed together by JUnit at the end of the run. */
  private record SharedBroker(EmbeddedKafkaBroker broker, Path dir) implements AutoCloseable {
    static SharedBroker start() {
      try {
        Path dir = Files.createTempDirectory("driftwatch-test-kafka-");
        return new SharedBroker(EmbeddedKafkaBroker.start(BrokerSettings.inDirectory(dir)), dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      broker.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
