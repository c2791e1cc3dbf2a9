package io.driftwatch.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and writes the JSON of Driftwatch's topics. Thread-safe; one shared instance is enough.
 *
 * <p>Field names are snake_case, times are ISO-8601 instants, nulls are left out, and unknown fields are
 * ignored so that producers may add their own and newer producers may talk to older monitors.
 */
public final class EventCodec {

  /** The mapper behind the codec, configured for the wire format; also used for the output records. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          // Registered after JavaTimeModule, so it takes precedence for Instant.
          .addModule(new SimpleModule("driftwatch-instants").addDeserializer(Instant.class, new CanonicalInstantDeserializer()))
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  /** Token and chunk events, read without data binding; it declines the rest to {@link #MAPPER}. */
  private static final StreamingEventParser STREAMING = new StreamingEventParser(MAPPER.getFactory());

  private EventCodec() {}

  public static byte[] encode(GenerationEvent event) {
    return toJson(event);
  }

  /** Serialises any contract record (events, score records, dead letters) to UTF-8 JSON. */
  public static byte[] toJson(Object record) {
    try {
      return MAPPER.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      // Contract records are plain data; failing to write one is a programming error.
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T fromJson(byte[] json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  /**
   * Parses one event and checks it against every rule of {@link EventValidator}.
   *
   * @throws InvalidEventException naming the first rule the bytes break
   */
  public static GenerationEvent decode(byte[] json) throws InvalidEventException {
    GenerationEvent event = parse(json);
    List<Violation> violations = EventValidator.validate(event);
    if (!violations.isEmpty()) {
      throw new InvalidEventException(violations.get(0));
    }
    return event;
  }

  /** Parses one event without validating it: the shape is right, the content may not be. */
  public static GenerationEvent parse(byte[] json) throws InvalidEventException {
    if (json == null || json.length == 0) {
      throw new InvalidEventException("json.empty", "the record has no value");
    }
    if (!startsWithObject(json)) {
      throw new InvalidEventException("json.not_object", "the value is not a JSON object; an event starts with '{'");
    }
    // Jackson lets some invalid UTF-8 through (a code point above U+10FFFF in a field name is read as a
    // broken surrogate pair, which cannot be written back out as valid JSON); so check strictly first.
    int invalid = Utf8.firstInvalid(json);
    if (invalid >= 0) {
      throw new InvalidEventException("json.invalid_utf8", "the value is not valid UTF-8: bad byte sequence at offset " + invalid);
    }
    GenerationEvent streamed = STREAMING.parse(json);
    if (streamed != null) {
      return streamed;
    }
    try {
      GenerationEvent event = MAPPER.readValue(json, GenerationEvent.class);
      if (event == null) {
        throw new InvalidEventException("json.not_object", "the value is JSON null, not an event object");
      }
      return event;
    } catch (InvalidTypeIdException e) {
      if (e.getTypeId() == null || e.getTypeId().isEmpty()) {
        throw new InvalidEventException("type.required", "the event has no \"type\" field (start, token, chunk or end)");
      }
      throw new InvalidEventException(
          "type.unknown", "unknown event type \"" + e.getTypeId() + "\"; expected start, token, chunk or end");
    } catch (MismatchedInputException e) {
      String path = path(e);
      if (path.isEmpty()) {
        throw new InvalidEventException("json.not_object", "the value is not a JSON object: " + e.getOriginalMessage());
      }
      throw new InvalidEventException("field.type", "field " + path + " has the wrong type: " + e.getOriginalMessage());
    } catch (JacksonException e) {
      String detail = e.getOriginalMessage();
      if (detail != null && detail.contains("UTF-8")) {
        throw new InvalidEventException("json.invalid_utf8", "the value is not valid UTF-8: " + detail);
      }
      throw new InvalidEventException("json.malformed", "not valid JSON: " + detail);
    } catch (IOException e) {
      throw new InvalidEventException("json.malformed", "unreadable value: " + e.getMessage());
    }
  }

  // Jackson would read an array as a type-wrapped value and report a confusing type id, so look first.
  private static boolean startsWithObject(byte[] json) {
    for (byte b : json) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b == '{';
      }
    }
    return false;
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }
}
