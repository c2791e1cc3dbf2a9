package io.driftwatch.producers.sdk;

import io.driftwatch.contract.GenerationEvent;
import java.util.List;

/**
 * One open generation: numbers its tokens from 0 and publishes them, then its end. Not thread-safe; a
 * generation's tokens come in order from one place.
 */
public final class GenerationStream {

  private final EventSink producer;
  private final String generationId;
  private long nextSeq;
  private boolean ended;

  GenerationStream(EventSink producer, String generationId) {
    this.producer = producer;
    this.generationId = generationId;
  }

  public String generationId() {
    return generationId;
  }

  /** Tokens published so far. */
  public long tokens() {
    return nextSeq;
  }

  public void token(String text) {
    token(text, null, null, null);
  }

  public void token(String text, Integer tokenId, Double logprob, List<GenerationEvent.TopLogprob> topLogprobs) {
    token(text, tokenId, logprob, topLogprobs, producer.clock().instant());
  }

  /**
   * A token with the time it arrived given: tokens that arrived together (a response that was not
   * streamed) carry one time, so that no generation speed is made up from the moments they were
   * published at.
   */
  public void token(String text, Integer tokenId, Double logprob, List<GenerationEvent.TopLogprob> topLogprobs, java.time.Instant at) {
    requireOpen();
    producer.publish(new GenerationEvent.Token(GenerationEvent.SCHEMA_VERSION, generationId, nextSeq++, text, tokenId, logprob,
        topLogprobs, at));
  }

  /** Several tokens in one record: cheaper for the broker and the monitor when tokens come in bursts. */
  public void chunk(List<GenerationEvent.ChunkToken> tokens) {
    requireOpen();
    if (tokens.isEmpty()) {
      return;
    }
    producer.publish(new GenerationEvent.Chunk(GenerationEvent.SCHEMA_VERSION, generationId, nextSeq, tokens, producer.clock().instant()));
    nextSeq += tokens.size();
  }

  public void end(String finishReason) {
    end(finishReason, null);
  }

  /** Ends the generation with what a guard decided for it (stopped, or recorded in a dry run); null for none. */
  public void end(String finishReason, GenerationEvent.Guard guard) {
    requireOpen();
    ended = true;
    producer.publish(new GenerationEvent.End(GenerationEvent.SCHEMA_VERSION, generationId, finishReason, producer.clock().instant(), guard));
  }

  private void requireOpen() {
    if (ended) {
      throw new IllegalStateException("generation " + generationId + " has ended");
    }
  }
}
