package io.driftwatch.producers.tap;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads OpenAI request and response JSON. Error messages must not quote the traffic, which can hold
 * prompts and credentials: the source is kept out of parse error locations, and callers log only the
 * exception's type.
 */
final class OpenAiJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  private OpenAiJson() {}

  static JsonNode read(byte[] json, int offset, int length) throws IOException {
    return MAPPER.readTree(json, offset, length);
  }

  static JsonNode read(String json) throws IOException {
    return MAPPER.readTree(json);
  }
}
