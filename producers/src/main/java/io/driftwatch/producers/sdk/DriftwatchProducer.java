package io.driftwatch.producers.sdk;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Java SDK: publishes a generation's token stream to the tokens topic in Driftwatch's wire format.
 *
 * <pre>{@code
 * try (DriftwatchProducer producer = DriftwatchProducer.connect("localhost:9092", "driftwatch.tokens")) {
 *   GenerationStream g = producer.begin(GenerationInfo.of("run-1", "my-model", prompt));
 *   for (String token : tokens) g.token(token);
 *   g.end("stop");
 * }
 * }</pre>
 *
 * Records are keyed by generation id, so a generation stays on one partition, in order. Thread-safe: many
 * generations can stream through one producer, each {@link GenerationStream} from one thread at a time.
 * Like any Kafka producer, {@code send} waits when Kafka is unreachable and its buffer is full; an
 * application that must never wait for its monitor uses {@link TokenStreamPublisher}. Each event goes
 * out as given, one record each: coalescing tokens over a linger is the publisher's ({@link Chunking});
 * a tool that has several tokens at hand sends them as one record with {@link GenerationStream#chunk}.
 */
public final class DriftwatchProducer implements EventSink, AutoCloseable {

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final Clock clock;

  public DriftwatchProducer(Producer<String, byte[]> producer, String topic, Clock clock) {
    this.producer = Objects.requireNonNull(producer);
    this.topic = Objects.requireNonNull(topic);
    this.clock = Objects.requireNonNull(clock);
  }

  /** A producer with settings suited to token streams; {@code overrides} win over them. */
  public static DriftwatchProducer connect(String bootstrapServers, String topic, Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // Idempotence keeps each generation's order and drops duplicates on retry.
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Tokens arrive a few milliseconds apart; a short linger batches them without adding visible latency.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "driftwatch-producer");
    config.putAll(overrides);
    return new DriftwatchProducer(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), topic, Clock.systemUTC());
  }

  public static DriftwatchProducer connect(String bootstrapServers, String topic) {
    return connect(bootstrapServers, topic, Map.of());
  }

  /** Publishes any event as it is: for producers that build events themselves (replay, tap). */
  public Future<RecordMetadata> send(GenerationEvent event) {
    return producer.send(new ProducerRecord<>(topic, event.generationId(), EventCodec.encode(event)));
  }

  /** As {@link #send(GenerationEvent)}, with a callback told of the outcome (the error, or null). */
  public Future<RecordMetadata> send(GenerationEvent event, java.util.function.Consumer<Exception> outcome) {
    return producer.send(new ProducerRecord<>(topic, event.generationId(), EventCodec.encode(event)),
        (metadata, error) -> outcome.accept(error));
  }

  @Override
  public void publish(GenerationEvent event) {
    send(event);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
