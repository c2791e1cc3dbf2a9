package io.driftwatch.scoring.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.driftwatch.contract.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Serialises {@link GenerationState} for state stores and their changelogs. Written in a compact binary
 * form ({@link BinaryStateCodec}, first byte {@value BinaryStateCodec#VERSION}): the store wrote a
 * generation's state at every token (now once per commit), and the JSON that earlier releases wrote
 * cost more than all the scoring (docs/benchmarks.md). Read in either form, told apart by the first byte, so state stores and
 * changelogs written by earlier releases (JSON, first byte '{') keep working. {@link #encodeJson} gives
 * the JSON form for people: NaN (an undefined running maximum) is written there as a number token,
 * which only this codec reads.
 */
public final class StateCodec {

  private static final ObjectMapper MAPPER = ((JsonMapper) EventCodec.MAPPER.copy()).rebuild()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build();

  private StateCodec() {}

  /** The binary form, as the state stores keep it. */
  public static byte[] encode(GenerationState state) {
    return BinaryStateCodec.encode(state);
  }

  /** The JSON form of earlier releases: readable by people, and still read by {@link #decode}. */
  public static byte[] encodeJson(GenerationState state) {
    try {
      return MAPPER.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads either form. */
  public static GenerationState decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty generation state");
    }
    int first = bytes[0] & 0xFF;
    if (first == BinaryStateCodec.VERSION) {
      return BinaryStateCodec.decode(bytes);
    }
    if (first == '{' || Character.isWhitespace(first)) {
      try {
        return MAPPER.readValue(bytes, GenerationState.class);
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable generation state", e);
      }
    }
    throw new IllegalArgumentException("unknown generation state format (first byte " + first
        + "): written by a newer release of Driftwatch?");
  }
}
