package io.driftwatch.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads token and chunk events, nearly all of a tokens topic's records, with Jackson's streaming parser
 * instead of data binding: binding a record through its constructor, behind the {@code type} property,
 * was most of a chunk's decode (docs/benchmarks.md).
 *
 * <p>It takes only what it can read exactly as {@link EventCodec#MAPPER} would: fields of the JSON
 * type they are declared with, each once, no nulls, instants of the canonical shape, nothing after the
 * object. Anything else (start and end events, a malformed or surprising value) it declines, and the
 * mapper reads it, so every value and every error reads as before; {@code StreamingEventParserTest}
 * holds the two to the same result on valid and broken events.
 */
final class StreamingEventParser {

  private final JsonFactory factory;

  StreamingEventParser(JsonFactory factory) {
    this.factory = factory;
  }

  /** The token or chunk event in {@code json}, or null when the mapper should read it. */
  GenerationEvent parse(byte[] json) {
    try (JsonParser p = factory.createParser(json)) {
      return p.nextToken() == JsonToken.START_OBJECT ? event(p) : null;
    } catch (IOException | RuntimeException e) {
      return null; // malformed or out of the ordinary: the mapper reads it and says what is wrong
    }
  }

  private static GenerationEvent event(JsonParser p) throws IOException {
    String type = null;
    Integer v = null;
    String generationId = null;
    Long seq = null;
    String text = null;
    Integer tokenId = null;
    Double logprob = null;
    List<GenerationEvent.TopLogprob> topLogprobs = null;
    List<GenerationEvent.ChunkToken> tokens = null;
    Instant eventTime = null;
    int seen = 0; // one bit per field read, so that a repeated field is declined
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      JsonToken value = p.nextToken();
      int bit;
      switch (field) {
        case "type" -> {
          bit = 1;
          type = string(p, value);
          if (!"token".equals(type) && !"chunk".equals(type)) {
            return null; // a start or an end (or no event): declined before its prompt is read twice
          }
        }
        case "v" -> {
          bit = 1 << 1;
          v = integer(p, value);
        }
        case "generation_id" -> {
          bit = 1 << 2;
          generationId = string(p, value);
        }
        case "seq" -> {
          bit = 1 << 3;
          seq = longValue(p, value);
        }
        case "text" -> {
          bit = 1 << 4;
          text = string(p, value);
        }
        case "token_id" -> {
          bit = 1 << 5;
          tokenId = integer(p, value);
        }
        case "logprob" -> {
          bit = 1 << 6;
          logprob = number(p, value);
        }
        case "top_logprobs" -> {
          bit = 1 << 7;
          topLogprobs = topLogprobs(p, value);
        }
        case "tokens" -> {
          bit = 1 << 8;
          tokens = chunkTokens(p, value);
        }
        case "event_time" -> {
          bit = 1 << 9;
          eventTime = instant(p, value);
        }
        default -> {
          bit = 0;
          p.skipChildren(); // unknown fields are ignored, as the mapper does
        }
      }
      seen = once(seen, bit);
    }
    if (p.nextToken() != null) {
      return null; // trailing content: the mapper rejects it
    }
    if ("token".equals(type)) {
      return new GenerationEvent.Token(v, generationId, seq, text, tokenId, logprob, topLogprobs, eventTime);
    }
    if ("chunk".equals(type)) {
      return new GenerationEvent.Chunk(v, generationId, seq, tokens, eventTime);
    }
    return null;
  }

  private static List<GenerationEvent.ChunkToken> chunkTokens(JsonParser p, JsonToken value) throws IOException {
    expect(value, JsonToken.START_ARRAY);
    List<GenerationEvent.ChunkToken> tokens = new ArrayList<>();
    for (JsonToken element = p.nextToken(); element != JsonToken.END_ARRAY; element = p.nextToken()) {
      expect(element, JsonToken.START_OBJECT);
      String text = null;
      Integer tokenId = null;
      Double logprob = null;
      List<GenerationEvent.TopLogprob> topLogprobs = null;
      Long offsetNs = null;
      int seen = 0;
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken fieldValue = p.nextToken();
        int bit;
        switch (field) {
          case "text" -> {
            bit = 1;
            text = string(p, fieldValue);
          }
          case "token_id" -> {
            bit = 1 << 1;
            tokenId = integer(p, fieldValue);
          }
          case "logprob" -> {
            bit = 1 << 2;
            logprob = number(p, fieldValue);
          }
          case "top_logprobs" -> {
            bit = 1 << 3;
            topLogprobs = topLogprobs(p, fieldValue);
          }
          case "offset_ns" -> {
            bit = 1 << 4;
            offsetNs = longValue(p, fieldValue);
          }
          default -> {
            bit = 0;
            p.skipChildren();
          }
        }
        seen = once(seen, bit);
      }
      tokens.add(new GenerationEvent.ChunkToken(text, tokenId, logprob, topLogprobs, offsetNs));
    }
    return tokens;
  }

  private static List<GenerationEvent.TopLogprob> topLogprobs(JsonParser p, JsonToken value) throws IOException {
    expect(value, JsonToken.START_ARRAY);
    List<GenerationEvent.TopLogprob> alternatives = new ArrayList<>();
    for (JsonToken element = p.nextToken(); element != JsonToken.END_ARRAY; element = p.nextToken()) {
      expect(element, JsonToken.START_OBJECT);
      String token = null;
      Double logprob = null;
      int seen = 0;
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken fieldValue = p.nextToken();
        int bit;
        switch (field) {
          case "token" -> {
            bit = 1;
            token = string(p, fieldValue);
          }
          case "logprob" -> {
            bit = 1 << 1;
            logprob = number(p, fieldValue);
          }
          default -> {
            bit = 0;
            p.skipChildren();
          }
        }
        seen = once(seen, bit);
      }
      alternatives.add(new GenerationEvent.TopLogprob(token, logprob));
    }
    return alternatives;
  }

  /** The fields read so far with {@code field} added; a field read twice is declined (how the mapper takes it is its own). */
  private static int once(int seen, int field) {
    if ((seen & field) != 0) {
      throw new Declined();
    }
    return seen | field;
  }

  private static String string(JsonParser p, JsonToken value) throws IOException {
    expect(value, JsonToken.VALUE_STRING);
    return p.getText();
  }

  /** An int the mapper reads as {@code Integer}: a JSON integer within int range, not a float or a string. */
  private static Integer integer(JsonParser p, JsonToken value) throws IOException {
    expect(value, JsonToken.VALUE_NUMBER_INT);
    if (p.getNumberType() != JsonParser.NumberType.INT) {
      throw new Declined();
    }
    return p.getIntValue();
  }

  private static Long longValue(JsonParser p, JsonToken value) throws IOException {
    expect(value, JsonToken.VALUE_NUMBER_INT);
    JsonParser.NumberType type = p.getNumberType();
    if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
      throw new Declined();
    }
    return p.getLongValue();
  }

  /** A double from a JSON float, or from an integer within long range, as the mapper converts it. */
  private static Double number(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    longValue(p, value);
    return p.getDoubleValue();
  }

  private static Instant instant(JsonParser p, JsonToken value) throws IOException {
    Instant instant = CanonicalInstantDeserializer.parseCanonical(string(p, value));
    if (instant == null) {
      throw new Declined();
    }
    return instant;
  }

  private static void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw new Declined();
    }
  }

  /** Thrown where the mapper should read the event instead; carries no stack, as it says nothing more. */
  private static final class Declined extends RuntimeException {
    Declined() {
      super(null, null, false, false);
    }
  }
}
