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
 * Serialises {@link GenerationState} for state stores and their changelogs. JSON, like the wire format,
 * so a state entry can be read by people; NaN (an undefined running maximum) is written as a number
 * token, which only this codec reads.
 */
public final class StateCodec {

  private static final ObjectMapper MAPPER = ((JsonMapper) EventCodec.MAPPER.copy()).rebuild()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build();

  private StateCodec() {}

  public static byte[] encode(GenerationState state) {
    try {
      return MAPPER.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static GenerationState decode(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, GenerationState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable generation state", e);
    }
  }
}
