package io.driftwatch.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One event of a generation's token stream, as carried on the tokens topic, keyed by generation id.
 *
 * <p>A generation is a {@link Start}, then {@link Token}s and {@link Chunk}s in sequence order, then an
 * {@link End}. The JSON form is documented in {@code docs/events.md}; {@link EventCodec} reads and writes it
 * and {@link EventValidator} checks the rules a well-formed event obeys.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = GenerationEvent.Start.class, name = "start"),
  @JsonSubTypes.Type(value = GenerationEvent.Token.class, name = "token"),
  @JsonSubTypes.Type(value = GenerationEvent.Chunk.class, name = "chunk"),
  @JsonSubTypes.Type(value = GenerationEvent.End.class, name = "end")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface GenerationEvent
    permits GenerationEvent.Start, GenerationEvent.Token, GenerationEvent.Chunk, GenerationEvent.End {

  /** The schema version this code writes and the only one it reads. */
  int SCHEMA_VERSION = 1;

  /** Schema version of the event ({@code "v"} on the wire); null when the producer left it out. */
  Integer v();

  String generationId();

  /** When the producer saw the event happen (not when Kafka got it). */
  Instant eventTime();

  /** The event's type as on the wire: start, token, chunk or end. */
  @JsonIgnore
  default String typeName() {
    if (this instanceof Start) {
      return "start";
    } else if (this instanceof Token) {
      return "token";
    } else if (this instanceof Chunk) {
      return "chunk";
    }
    return "end";
  }

  /** Opens a generation: who generates, from what prompt, with which settings. */
  record Start(
      Integer v,
      String generationId,
      String runId,
      String model,
      String prompt,
      Sampling sampling,
      Map<String, String> attributes,
      Instant eventTime)
      implements GenerationEvent {
    public Start {
      attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
  }

  /** One token of output. {@code seq} counts tokens of the generation from 0, without gaps. */
  record Token(
      Integer v,
      String generationId,
      Long seq,
      String text,
      Integer tokenId,
      Double logprob,
      List<TopLogprob> topLogprobs,
      Instant eventTime)
      implements GenerationEvent {
    public Token {
      topLogprobs = copy(topLogprobs);
    }
  }

  /**
   * Several consecutive tokens in one record, for producers that batch: the i-th token has sequence
   * number {@code seq + i} and arrived {@link ChunkToken#offsetNs} after the chunk's {@code eventTime}.
   */
  record Chunk(Integer v, String generationId, Long seq, List<ChunkToken> tokens, Instant eventTime)
      implements GenerationEvent {
    public Chunk {
      tokens = tokens == null ? null : List.copyOf(tokens);
    }

    /** The chunk as the single-token events it stands for, so consumers handle one shape. */
    @JsonIgnore
    public List<Token> expand() {
      List<Token> out = new ArrayList<>(tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        ChunkToken t = tokens.get(i);
        Instant at = t.offsetNs() == null || eventTime == null ? eventTime : eventTime.plusNanos(t.offsetNs());
        out.add(new Token(v, generationId, seq + i, t.text(), t.tokenId(), t.logprob(), t.topLogprobs(), at));
      }
      return out;
    }
  }

  /**
   * Closes a generation; {@code finishReason} as the model API reported it (stop, length, ...), or the
   * one the tap's guard ended the stream with. {@code guard} is present when a guarded rule tripped for
   * the generation (stopped, or only recorded in a dry run), absent otherwise.
   */
  record End(Integer v, String generationId, String finishReason, Instant eventTime, Guard guard)
      implements GenerationEvent {

    /** An end without a guard decision: how every producer but a guarding tap ends a generation. */
    public End(Integer v, String generationId, String finishReason, Instant eventTime) {
      this(v, generationId, finishReason, eventTime, null);
    }
  }

  /**
   * What the tap's guard decided for a generation (docs/tap.md, Guard).
   *
   * @param rule the rule that tripped: {@code loop}, {@code verbatim_copy} or another alert rule's name
   * @param path where it was decided: {@link #IN_PROCESS} (the tap's own scoring engine) or {@link #KAFKA}
   *     (an alert the monitor published)
   * @param action {@link #STOPPED} (the stream was ended and the upstream request cancelled) or
   *     {@link #DRY_RUN} (recorded only; the stream went on) or {@link #ENDED_FIRST} (the rule tripped in
   *     the same piece of the stream that ended the generation: nothing was left to stop)
   * @param seq the token at which the rule tripped
   * @param tokensAfter tokens the client received after the tripping token: with {@code stopped}, those
   *     relayed before the cancel took effect; in a dry run, all that followed until the real end
   * @param maxTokensLeft with {@code stopped} and a request that set {@code max_tokens}: the tokens the
   *     model could still have generated, the most the stop saved; absent otherwise
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Guard(String rule, String path, String action, Long seq, Long tokensAfter, Long maxTokensLeft) {
    public static final String IN_PROCESS = "in_process";
    public static final String KAFKA = "kafka";
    public static final String STOPPED = "stopped";
    public static final String DRY_RUN = "dry_run";
    public static final String ENDED_FIRST = "ended_first";
  }

  /** Sampling parameters of the generation, each optional. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Sampling(Double temperature, Double topP, Integer topK, Integer maxTokens, Long seed) {}

  /** One alternative the model considered at a position, with its log-probability (natural log). */
  record TopLogprob(String token, Double logprob) {}

  /**
   * A token inside a {@link Chunk}: a {@link Token} without the fields the chunk carries. {@code offsetNs}
   * is when it arrived, in nanoseconds after the chunk's event time (absent: at that time), so that a
   * producer that coalesces tokens keeps each one's own time and the monitor scores the chunk exactly as
   * the tokens sent one by one.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChunkToken(String text, Integer tokenId, Double logprob, List<TopLogprob> topLogprobs, Long offsetNs) {
    public ChunkToken {
      topLogprobs = copy(topLogprobs);
    }

    /** A token that arrived at the chunk's event time. */
    public ChunkToken(String text, Integer tokenId, Double logprob, List<TopLogprob> topLogprobs) {
      this(text, tokenId, logprob, topLogprobs, null);
    }
  }

  /**
   * An unmodifiable copy, so that an event does not change when its producer reuses its list (events
   * are encoded later, on another thread); nulls are kept for the validator to report.
   */
  private static <T> List<T> copy(List<T> list) {
    return list == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(list));
  }
}
