package io.driftwatch.producers.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The publisher's coalescing against a Kafka producer in memory. */
class TokenStreamPublisherChunkingTest {

  private static List<GenerationEvent> decoded(MockProducer<String, byte[]> kafka) throws Exception {
    List<GenerationEvent> out = new ArrayList<>();
    for (ProducerRecord<String, byte[]> r : kafka.history()) {
      GenerationEvent e = EventCodec.decode(r.value());
      assertThat(r.key()).isEqualTo(e.generationId());
      out.add(e);
    }
    return out;
  }

  private static void awaitRecords(MockProducer<String, byte[]> kafka, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (kafka.history().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
  }

  @Test
  void aTokenFollowedBySilenceIsSentWhenTheLingerRunsOutNotWithTheNextToken() throws Exception {
    MockProducer<String, byte[]> kafka = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    try (TokenStreamPublisher publisher = new TokenStreamPublisher(kafka, "t", Clock.systemUTC(), 1_000,
        Chunking.linger(Duration.ofMillis(30)))) {
      GenerationStream g = publisher.begin(GenerationInfo.of("run", "m", "p").withId("g"));
      g.token(" one");
      g.token(" two");
      long published = System.nanoTime();
      awaitRecords(kafka, 2);
      Duration waited = Duration.ofNanos(System.nanoTime() - published);
      assertThat(decoded(kafka)).extracting(GenerationEvent::typeName).containsExactly("start", "chunk");
      // Sent by the linger, not held for more tokens: well within a second on a loaded machine.
      assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(20)).isLessThan(Duration.ofSeconds(2));
      g.token(" three");
      g.end("stop");
      awaitRecords(kafka, 4);
      assertThat(decoded(kafka)).extracting(GenerationEvent::typeName).containsExactly("start", "chunk", "token", "end");
      assertThat(publisher.stats()).isEqualTo(new TokenStreamPublisher.Stats(5, 0, 4, 3, 0, 0));
    }
  }

  /**
   * A Kafka producer stuck in {@code send} (an unreachable cluster, for up to max.block.ms) holds up the
   * sending thread and its coalescing, never the caller: the buffer fills, the rest is dropped and counted.
   */
  @Test
  void aStuckKafkaProducerNeverBlocksTheCallerWhileTokensAreCoalesced() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    MockProducer<String, byte[]> stuck = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
      @Override
      public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
          ProducerRecord<String, byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new org.apache.kafka.common.errors.InterruptException(e);
        }
        return super.send(record, callback);
      }
    };
    TokenStreamPublisher publisher = new TokenStreamPublisher(stuck, "t", Clock.systemUTC(), 1_000, Chunking.DEFAULT);
    try {
      long start = System.nanoTime();
      GenerationStream g = publisher.begin(GenerationInfo.of("run", "m", "p").withId("g"));
      for (int i = 0; i < 50_000; i++) {
        g.token(" t" + i);
      }
      g.end("stop");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      TokenStreamPublisher.Stats stats = publisher.stats();
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      assertThat(stats.accepted() + stats.dropped()).isEqualTo(50_002);
      assertThat(stats.dropped()).isGreaterThanOrEqualTo(50_002 - 1_000 - 512 - 1);
      assertThat(stats.sent()).isZero();
    } finally {
      publisher.close(Duration.ofMillis(200));
      release.countDown();
    }
    assertThat(publisher.stats().buffered()).isZero();
  }

  @Test
  void aBurstBecomesFewRecordsInOrderWithEveryTokenKept() throws Exception {
    MockProducer<String, byte[]> kafka = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    List<String> texts = new ArrayList<>();
    try (TokenStreamPublisher publisher = new TokenStreamPublisher(kafka, "t", Clock.systemUTC(), 10_000,
        new Chunking(Duration.ofMillis(50), 64, 256 * 1024))) {
      GenerationStream g = publisher.begin(GenerationInfo.of("run", "m", "p").withId("g"));
      for (int i = 0; i < 1_000; i++) {
        texts.add(" t" + i);
        g.token(" t" + i, i, -0.5, List.of(new GenerationEvent.TopLogprob(" t" + i, -0.5)));
      }
      g.end("length");
      publisher.close(Duration.ofSeconds(10));
      TokenStreamPublisher.Stats stats = publisher.stats();
      assertThat(stats.accepted()).isEqualTo(1_002);
      assertThat(stats.tokensSent()).isEqualTo(1_000);
      // At most 64 tokens a record: no fewer than 16 chunks, and far fewer records than tokens.
      assertThat(stats.sent()).isBetween(2L + 16, 2L + 100);
    }
    List<GenerationEvent> events = decoded(kafka);
    assertThat(events.get(0)).isInstanceOf(GenerationEvent.Start.class);
    assertThat(events.get(events.size() - 1)).isInstanceOf(GenerationEvent.End.class);
    List<GenerationEvent.Token> tokens = new ArrayList<>();
    for (GenerationEvent e : events.subList(1, events.size() - 1)) {
      tokens.addAll(e instanceof GenerationEvent.Chunk c ? c.expand() : List.of((GenerationEvent.Token) e));
    }
    assertThat(tokens).extracting(GenerationEvent.Token::text).containsExactlyElementsOf(texts);
    assertThat(tokens).extracting(GenerationEvent.Token::seq)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 1_000).boxed().toList());
    assertThat(tokens).allSatisfy(t -> assertThat(t.topLogprobs()).hasSize(1));
  }
}
