package io.driftwatch.producers.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.EventValidator;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.GenerationEvent.Chunk;
import io.driftwatch.contract.GenerationEvent.End;
import io.driftwatch.contract.GenerationEvent.Start;
import io.driftwatch.contract.GenerationEvent.Token;
import io.driftwatch.contract.GenerationEvent.TopLogprob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCoalescerTest {

  private static final Instant T0 = Instant.parse("2026-12-04T18:00:00.000123456Z");
  private static final long LINGER = Duration.ofMillis(20).toNanos();

  private final List<ChunkCoalescer.Outgoing> sent = new ArrayList<>();

  private static Token token(String id, long seq, long micros) {
    return new Token(1, id, seq, " w" + seq, (int) seq, -0.1 * (seq + 1),
        List.of(new TopLogprob(" w" + seq, -0.1 * (seq + 1)), new TopLogprob(" x", -3.0)), T0.plusNanos(micros * 1000 + 7));
  }

  private static List<Token> expanded(List<ChunkCoalescer.Outgoing> out) {
    List<Token> tokens = new ArrayList<>();
    for (ChunkCoalescer.Outgoing o : out) {
      if (o.event() instanceof Chunk c) {
        tokens.addAll(c.expand());
      } else if (o.event() instanceof Token t) {
        tokens.add(t);
      }
    }
    return tokens;
  }

  @Test
  void aGenerationsTokensGoOutAsOneChunkBeforeItsEndAndExpandToThemExactly() throws Exception {
    ChunkCoalescer c = new ChunkCoalescer(Chunking.DEFAULT);
    Start start = new Start(1, "g", "run", "m", "p", null, null, T0);
    List<Token> tokens = new ArrayList<>();
    c.accept(start, 0, sent::add);
    for (int i = 0; i < 10; i++) {
      Token t = token("g", i, 1_500L * i);
      tokens.add(t);
      c.accept(t, 1_000, sent::add);
    }
    assertThat(sent).hasSize(1);
    assertThat(c.gathered()).isEqualTo(10);
    End end = new End(1, "g", "stop", T0.plusSeconds(1));
    c.accept(end, 2_000, sent::add);

    assertThat(sent).extracting(o -> o.event().typeName()).containsExactly("start", "chunk", "end");
    assertThat(sent.get(1).events()).isEqualTo(10);
    assertThat(sent.get(1).tokens()).isEqualTo(10);
    assertThat(c.gathered()).isZero();
    // Through the wire form and back, the chunk is the ten tokens, logprobs, alternatives and times included.
    GenerationEvent decoded = EventCodec.decode(EventCodec.encode(sent.get(1).event()));
    assertThat(((Chunk) decoded).expand()).isEqualTo(tokens);
  }

  @Test
  void aChunkFallsDueWhenItsFirstTokenHasWaitedTheLinger() {
    ChunkCoalescer c = new ChunkCoalescer(Chunking.DEFAULT);
    c.accept(token("g", 0, 0), 1_000, sent::add);
    c.accept(token("g", 1, 10), 1_000 + LINGER / 2, sent::add);
    assertThat(c.nanosUntilDue(1_000 + LINGER / 2)).isEqualTo(LINGER / 2);
    c.sendDue(1_000 + LINGER - 1, sent::add);
    assertThat(sent).isEmpty();
    c.sendDue(1_000 + LINGER, sent::add);
    assertThat(sent).extracting(o -> o.event().typeName()).containsExactly("chunk");
    assertThat(c.nanosUntilDue(1_000 + LINGER)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aLoneTokenGoesOutAsTheTokenEventItCameAs() {
    ChunkCoalescer c = new ChunkCoalescer(Chunking.DEFAULT);
    Token t = token("g", 0, 0);
    c.accept(t, 0, sent::add);
    c.sendDue(LINGER, sent::add);
    assertThat(sent).extracting(ChunkCoalescer.Outgoing::event).containsExactly(t);
  }

  @Test
  void generationsAreGatheredApartAndEachKeepsItsOrder() {
    ChunkCoalescer c = new ChunkCoalescer(Chunking.DEFAULT);
    for (int i = 0; i < 6; i++) {
      c.accept(token(i % 2 == 0 ? "a" : "b", i / 2, i), 0, sent::add);
    }
    c.accept(new End(1, "a", "stop", T0), 0, sent::add);
    assertThat(sent).extracting(o -> o.event().generationId() + ":" + o.event().typeName()).containsExactly("a:chunk", "a:end");
    c.sendAll(sent::add);
    assertThat(sent).extracting(o -> o.event().generationId() + ":" + o.event().typeName())
        .containsExactly("a:chunk", "a:end", "b:chunk");
    assertThat(expanded(sent.subList(2, 3))).extracting(Token::seq).containsExactly(0L, 1L, 2L);
  }

  @Test
  void theTokenCapClosesAChunkAtOnce() {
    ChunkCoalescer c = new ChunkCoalescer(new Chunking(Duration.ofSeconds(1), 4, 256 * 1024));
    for (int i = 0; i < 10; i++) {
      c.accept(token("g", i, i), 0, sent::add);
    }
    assertThat(sent).extracting(ChunkCoalescer.Outgoing::tokens).containsExactly(4, 4);
    c.sendAll(sent::add);
    assertThat(expanded(sent)).extracting(Token::seq).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 10).boxed().toList());
  }

  @Test
  void theByteCapKeepsEveryChunkWithinItAsEncoded() {
    int cap = 8 * 1024;
    ChunkCoalescer c = new ChunkCoalescer(new Chunking(Duration.ofSeconds(1), 4096, cap));
    String big = "\u0001".repeat(300); // escaped as \u0001 on the wire: six bytes a character
    for (int i = 0; i < 40; i++) {
      c.accept(new Token(1, "g", (long) i, big, null, null, null, T0.plusMillis(i)), 0, sent::add);
    }
    c.sendAll(sent::add);
    assertThat(sent.size()).isGreaterThan(1);
    for (ChunkCoalescer.Outgoing o : sent) {
      assertThat(EventCodec.encode(o.event()).length).isLessThanOrEqualTo(cap);
      assertThat(EventValidator.validate(o.event())).isEmpty();
    }
    assertThat(expanded(sent)).hasSize(40);
  }

  @Test
  void aTokenOutOfSequenceStartsANewChunkAndOtherEventsPassAsTheyCame() {
    ChunkCoalescer c = new ChunkCoalescer(Chunking.DEFAULT);
    c.accept(token("g", 0, 0), 0, sent::add);
    c.accept(token("g", 1, 1), 0, sent::add);
    c.accept(token("g", 5, 2), 0, sent::add); // a gap the monitor must still see as one
    Chunk given = new Chunk(1, "g", 6L, List.of(new GenerationEvent.ChunkToken("x", null, null, null)), T0);
    c.accept(given, 0, sent::add);
    assertThat(sent).extracting(o -> o.event().typeName()).containsExactly("chunk", "token", "chunk");
    assertThat(sent.get(2).event()).isSameAs(given);
    assertThat(((Token) sent.get(1).event()).seq()).isEqualTo(5L);
  }

  @Test
  void withoutALingerEveryEventGoesOutAsItCame() {
    ChunkCoalescer c = new ChunkCoalescer(Chunking.linger(Duration.ZERO));
    Token t = token("g", 0, 0);
    c.accept(t, 0, sent::add);
    assertThat(sent).extracting(ChunkCoalescer.Outgoing::event).containsExactly(t);
    assertThat(c.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
  }
}
