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
   * number {@code seq + i}.
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
        out.add(new Token(v, generationId, seq + i, t.text(), t.tokenId(), t.logprob(), t.topLogprobs(), eventTime));
      }
      return out;
    }
  }

  /** Closes a generation; {@code finishReason} as the model API reported it (stop, length, ...). */
  record End(Integer v, String generationId, String finishReason, Instant eventTime)
      implements GenerationEvent {}

  /** Sampling parameters of the generation, each optional. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Sampling(Double temperature, Double topP, Integer topK, Integer maxTokens, Long seed) {}

  /** One alternative the model considered at a position, with its log-probability (natural log). */
  record TopLogprob(String token, Double logprob) {}

  /** A token inside a {@link Chunk}: a {@link Token} without the fields the chunk carries. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChunkToken(String text, Integer tokenId, Double logprob, List<TopLogprob> topLogprobs) {
    public ChunkToken {
      topLogprobs = copy(topLogprobs);
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
