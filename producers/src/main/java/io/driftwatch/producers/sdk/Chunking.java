package io.driftwatch.producers.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TokenStreamPublisher} coalesces a generation's tokens into chunk events, so that Kafka
 * and the monitor handle one record per burst of tokens rather than one per token.
 *
 * @param linger how long the first token of a chunk may wait for more; zero publishes one event per token
 * @param maxTokens a chunk is sent once it holds this many tokens (the contract allows at most 4096)
 * @param maxBytes a chunk is sent before its JSON could exceed this many bytes, far below Kafka's
 *     1 MB default record limit
 */
public record Chunking(Duration linger, int maxTokens, int maxBytes) {

  /** One event per token, as every producer published before chunking. */
  public static final Chunking NONE = new Chunking(Duration.ZERO, 1, 256 * 1024);

  /** A linger short enough not to be seen on a dashboard, long enough to gather several tokens of a fast stream. */
  public static final Chunking DEFAULT = new Chunking(Duration.ofMillis(20), 512, 256 * 1024);

  /** The contract's limit on tokens per chunk. */
  static final int CONTRACT_MAX_TOKENS = 4096;

  public Chunking {
    Objects.requireNonNull(linger);
    if (linger.isNegative()) {
      throw new IllegalArgumentException("the chunk linger must not be negative, got " + linger);
    }
    if (maxTokens < 1 || maxTokens > CONTRACT_MAX_TOKENS) {
      throw new IllegalArgumentException("a chunk holds 1 to " + CONTRACT_MAX_TOKENS + " tokens, got " + maxTokens);
    }
    if (maxBytes < 1024 || maxBytes > 900_000) {
      throw new IllegalArgumentException("a chunk's byte cap must be 1 KiB to 900,000 bytes, got " + maxBytes);
    }
  }

  /** The default caps with another linger; zero turns coalescing off. */
  public static Chunking linger(Duration linger) {
    return new Chunking(linger, linger.isZero() ? 1 : DEFAULT.maxTokens, DEFAULT.maxBytes);
  }

  boolean enabled() {
    return !linger.isZero() && maxTokens > 1;
  }
}
