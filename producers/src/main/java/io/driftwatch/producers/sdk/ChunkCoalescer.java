package io.driftwatch.producers.sdk;

import io.driftwatch.contract.GenerationEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gathers consecutive token events of each generation into chunk events. Any other event of a
 * generation first sends that generation's gathered tokens, so its events keep their order (one key,
 * one partition). Each chunk token keeps its own time as an offset from the chunk's, so the monitor
 * scores a chunk exactly as the tokens sent one by one. Not thread-safe: the publisher's sending thread
 * owns it.
 */
final class ChunkCoalescer {

  /** An event ready to send and how many of the application's events it stands for. */
  record Outgoing(GenerationEvent event, int events, int tokens) {}

  private final Chunking chunking;
  private final long lingerNanos;
  /** Open chunks by generation, oldest first: with one linger for all, also the order they fall due in. */
  private final Map<String, Open> open = new LinkedHashMap<>();
  private int gathered;

  ChunkCoalescer(Chunking chunking) {
    this.chunking = chunking;
    this.lingerNanos = chunking.linger().toNanos();
  }

  /** Takes one event as the application published it, at {@code nowNanos}; sends what is ready. */
  void accept(GenerationEvent event, long nowNanos, Consumer<Outgoing> send) {
    if (!chunking.enabled()) {
      send.accept(new Outgoing(event, 1, tokens(event)));
      return;
    }
    Open chunk = open.get(event.generationId());
    if (event instanceof GenerationEvent.Token token && gatherable(token)) {
      long bytes = estimatedBytes(token);
      if (chunk != null && !chunk.fits(token, bytes, chunking)) {
        close(chunk, send);
        chunk = null;
      }
      if (chunk == null) {
        chunk = new Open(token, nowNanos + lingerNanos);
        open.put(token.generationId(), chunk);
      }
      chunk.add(token, bytes);
      gathered++;
      if (chunk.tokens.size() >= chunking.maxTokens()) {
        close(chunk, send);
      }
      return;
    }
    if (chunk != null) {
      close(chunk, send);
    }
    send.accept(new Outgoing(event, 1, tokens(event)));
  }

  /** Sends every chunk whose linger has run out by {@code nowNanos}. */
  void sendDue(long nowNanos, Consumer<Outgoing> send) {
    Iterator<Open> it = open.values().iterator();
    while (it.hasNext()) {
      Open chunk = it.next();
      if (chunk.dueNanos - nowNanos > 0) {
        return;
      }
      it.remove();
      emit(chunk, send);
    }
  }

  /** Nanoseconds until the oldest open chunk falls due; {@code Long.MAX_VALUE} when none is open. */
  long nanosUntilDue(long nowNanos) {
    if (open.isEmpty()) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, open.values().iterator().next().dueNanos - nowNanos);
  }

  /** Sends every open chunk, due or not: at shutdown. */
  void sendAll(Consumer<Outgoing> send) {
    List<Open> all = new ArrayList<>(open.values());
    open.clear();
    all.forEach(chunk -> emit(chunk, send));
  }

  /** Forgets every open chunk and returns how many token events they held: when sending is abandoned. */
  int discard() {
    int n = gathered;
    open.clear();
    gathered = 0;
    return n;
  }

  /** Token events held in open chunks. */
  int gathered() {
    return gathered;
  }

  private void close(Open chunk, Consumer<Outgoing> send) {
    open.remove(chunk.generationId);
    emit(chunk, send);
  }

  private void emit(Open chunk, Consumer<Outgoing> send) {
    gathered -= chunk.tokens.size();
    send.accept(new Outgoing(chunk.event(), chunk.tokens.size(), chunk.tokens.size()));
  }

  /** A token the contract lets a chunk carry; anything else (a malformed event) goes out as it came. */
  private boolean gatherable(GenerationEvent.Token token) {
    return token.seq() != null && token.eventTime() != null && token.text() != null
        && estimatedBytes(token) <= chunking.maxBytes();
  }

  private static int tokens(GenerationEvent event) {
    if (event instanceof GenerationEvent.Token) {
      return 1;
    }
    return event instanceof GenerationEvent.Chunk c && c.tokens() != null ? c.tokens().size() : 0;
  }

  /**
   * An upper bound of the token's JSON in a chunk: six bytes per character covers the longest escape
   * (backslash-u and four hex digits), and a fixed allowance covers the field names and numbers.
   */
  static long estimatedBytes(GenerationEvent.Token token) {
    long bytes = 96 + 6L * token.text().length();
    if (token.topLogprobs() != null) {
      for (GenerationEvent.TopLogprob top : token.topLogprobs()) {
        bytes += 48 + (top == null || top.token() == null ? 0 : 6L * top.token().length());
      }
    }
    return bytes;
  }

  /** A chunk being gathered. */
  private static final class Open {
    final String generationId;
    final Integer v;
    final long firstSeq;
    final Instant firstTime;
    final long dueNanos;
    final List<GenerationEvent.ChunkToken> tokens = new ArrayList<>();
    Instant lastTime;
    long bytes = 128; // the chunk's own fields

    Open(GenerationEvent.Token first, long dueNanos) {
      this.generationId = first.generationId();
      this.v = first.v();
      this.firstSeq = first.seq();
      this.firstTime = first.eventTime();
      this.lastTime = firstTime;
      this.dueNanos = dueNanos;
    }

    /** The next token in sequence, no earlier than the last, of the same schema, and within the caps. */
    boolean fits(GenerationEvent.Token token, long tokenBytes, Chunking caps) {
      return java.util.Objects.equals(token.v(), v)
          && token.seq() == firstSeq + tokens.size()
          && !token.eventTime().isBefore(lastTime)
          && tokens.size() < caps.maxTokens()
          && bytes + tokenBytes <= caps.maxBytes();
    }

    void add(GenerationEvent.Token token, long tokenBytes) {
      long offset = Duration.between(firstTime, token.eventTime()).toNanos();
      tokens.add(new GenerationEvent.ChunkToken(token.text(), token.tokenId(), token.logprob(), token.topLogprobs(),
          offset == 0 ? null : offset));
      lastTime = token.eventTime();
      bytes += tokenBytes;
    }

    /** A single token goes out as the token event it came as. */
    GenerationEvent event() {
      if (tokens.size() == 1) {
        GenerationEvent.ChunkToken t = tokens.get(0);
        return new GenerationEvent.Token(v, generationId, firstSeq, t.text(), t.tokenId(), t.logprob(), t.topLogprobs(), firstTime);
      }
      return new GenerationEvent.Chunk(v, generationId, firstSeq, tokens, firstTime);
    }
  }
}
