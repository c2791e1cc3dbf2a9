package io.driftwatch.producers.sdk;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes token streams from an application that generates in-process, and never makes it wait.
 *
 * <pre>{@code
 * try (TokenStreamPublisher publisher = TokenStreamPublisher.connect("localhost:9092", "driftwatch.tokens")) {
 *   GenerationStream g = publisher.begin(GenerationInfo.of("run-1", "my-model", prompt));
 *   for (String token : tokens) g.token(token);   // returns at once, whatever Kafka is doing
 *   g.end("stop");
 * }
 * }</pre>
 *
 * <p>Events go into a bounded in-memory buffer and a background thread hands them to a Kafka producer,
 * which batches them (linger, lz4). With {@link Chunking} on, the background thread first coalesces each
 * generation's consecutive tokens into one chunk event: a chunk is sent when its first token has waited
 * the linger, when it reaches its caps, or before the generation's next other event (its end), so Kafka
 * and the monitor carry a fraction of the records and the caller still never waits. When Kafka is slow or down the buffer fills and further events are
 * dropped and counted ({@link #stats()}), rather than blocking the caller or growing without bound: a
 * monitor must never break the traffic it watches. A generation that lost events is seen by the monitor
 * as a sequence gap (flag {@code seq_gap}) or a missing start.
 */
public final class TokenStreamPublisher implements EventSink, AutoCloseable {

  /** Default buffer, in events: about a minute of 40 generations at 40 tokens/s. */
  public static final int DEFAULT_BUFFER_EVENTS = 100_000;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TokenStreamPublisher.class);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final Clock clock;
  private final BlockingQueue<GenerationEvent> buffer;
  private final Thread sender;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong tokensSent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Object closeLock = new Object();
  /** Owned by the sending thread. */
  private final ChunkCoalescer coalescer;
  /** Token events the coalescer holds, for {@link #stats()} from other threads. */
  private volatile int gathered;
  private volatile boolean closing;

  /**
   * Counts since start. {@code accepted}, {@code dropped}, {@code failed} and {@code buffered} count events
   * as the application published them (one per token); {@code sent} counts records Kafka acknowledged (a
   * chunk once) and {@code tokensSent} the tokens in them, so {@code tokensSent / sent} shows how well
   * tokens were coalesced.
   */
  public record Stats(long accepted, long dropped, long sent, long tokensSent, long failed, int buffered) {}

  /** A publisher that sends one event per token, as published. */
  public TokenStreamPublisher(Producer<String, byte[]> producer, String topic, Clock clock, int bufferEvents) {
    this(producer, topic, clock, bufferEvents, Chunking.NONE);
  }

  public TokenStreamPublisher(Producer<String, byte[]> producer, String topic, Clock clock, int bufferEvents, Chunking chunking) {
    this.producer = Objects.requireNonNull(producer);
    this.topic = Objects.requireNonNull(topic);
    this.clock = Objects.requireNonNull(clock);
    if (bufferEvents < 1) {
      throw new IllegalArgumentException("the buffer must hold at least one event, got " + bufferEvents);
    }
    this.buffer = new ArrayBlockingQueue<>(bufferEvents);
    this.coalescer = new ChunkCoalescer(Objects.requireNonNull(chunking));
    this.sender = new Thread(this::drain, "driftwatch-publisher");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * A publisher with a Kafka producer suited to token streams; {@code overrides} win over its settings.
   * The Kafka producer waits at most {@code max.block.ms} (default here 5 s) for an unreachable cluster,
   * on the background thread only.
   */
  public static TokenStreamPublisher connect(String bootstrapServers, String topic, int bufferEvents, Map<String, Object> overrides) {
    return connect(bootstrapServers, topic, bufferEvents, Chunking.NONE, overrides);
  }

  /** As {@link #connect(String, String, int, Map)}, coalescing tokens into chunks as {@code chunking} says. */
  public static TokenStreamPublisher connect(String bootstrapServers, String topic, int bufferEvents, Chunking chunking,
      Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "driftwatch-publisher");
    config.putAll(overrides);
    return new TokenStreamPublisher(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), topic,
        Clock.systemUTC(), bufferEvents, chunking);
  }

  /** A publisher with the default buffer and chunking ({@link Chunking#DEFAULT}). */
  public static TokenStreamPublisher connect(String bootstrapServers, String topic) {
    return connect(bootstrapServers, topic, DEFAULT_BUFFER_EVENTS, Chunking.DEFAULT, Map.of());
  }

  /**
   * Takes the event if the buffer has room, else drops and counts it. Never blocks on Kafka; the lock
   * is held only for the offer, so that no event slips in after {@link #close} has counted what is left.
   */
  @Override
  public void publish(GenerationEvent event) {
    boolean taken;
    synchronized (closeLock) {
      taken = !closing && buffer.offer(event);
    }
    if (taken) {
      accepted.incrementAndGet();
    } else {
      dropped.incrementAndGet();
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  public Stats stats() {
    return new Stats(accepted.get(), dropped.get(), sent.get(), tokensSent.get(), failed.get(), buffer.size() + gathered);
  }

  private void drain() {
    List<GenerationEvent> batch = new ArrayList<>(512);
    while (!closing || !buffer.isEmpty()) {
      try {
        // Wake for the oldest open chunk's linger: a token followed by silence must not wait for the next.
        long waitNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(50), coalescer.nanosUntilDue(System.nanoTime()));
        GenerationEvent first = waitNanos == 0 ? buffer.poll() : buffer.poll(waitNanos, TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          buffer.drainTo(batch, 511);
          long now = System.nanoTime();
          for (int i = 0; i < batch.size(); i++) {
            if (Thread.currentThread().isInterrupted()) {
              abandon(batch.size() - i);
              return;
            }
            coalescer.accept(batch.get(i), now, this::send);
          }
          batch.clear();
        }
        coalescer.sendDue(System.nanoTime(), this::send);
        gathered = coalescer.gathered();
      } catch (InterruptedException e) {
        abandon(0);
        return;
      }
    }
    coalescer.sendAll(this::send);
    gathered = 0;
  }

  /** close() gave up waiting: what this thread holds is counted, never sent late. */
  private void abandon(int unread) {
    failed.addAndGet(unread + coalescer.discard());
    gathered = 0;
  }

  private void send(ChunkCoalescer.Outgoing out) {
    try {
      producer.send(new ProducerRecord<>(topic, out.event().generationId(), EventCodec.encode(out.event())), (metadata, error) -> {
        if (error == null) {
          sent.incrementAndGet();
          tokensSent.addAndGet(out.tokens());
        } else {
          failed.addAndGet(out.events());
        }
      });
    } catch (RuntimeException e) {
      // Kafka unreachable for max.block.ms, or the record rejected: counted, never thrown at the caller.
      failed.addAndGet(out.events());
      log.debug("could not hand an event to Kafka", e);
    }
  }

  /** Sends what is buffered (waiting up to {@code timeout}), then closes; what is left is counted as failed. */
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (closeLock) {
      closing = true;
    }
    try {
      sender.join(Math.max(1, timeout.toMillis()));
      sender.interrupt();
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The sender has stopped: what it did not take is counted as failed, once.
    List<GenerationEvent> left = new ArrayList<>();
    buffer.drainTo(left);
    failed.addAndGet(left.size());
    producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
