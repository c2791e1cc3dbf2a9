package io.driftwatch.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A record on the dead-letter topic: an input record that could not be used, kept whole with the rule it
 * broke and where it came from, so nothing is lost and it can be fixed and replayed.
 *
 * <p>The payload is kept as UTF-8 text when it is valid UTF-8, and as base64 otherwise
 * ({@code payloadEncoding} says which).
 */
public record DeadLetter(
    Integer v,
    String reason,
    String message,
    String sourceTopic,
    Integer sourcePartition,
    Long sourceOffset,
    String key,
    String payload,
    String payloadEncoding,
    Instant time) {

  public static DeadLetter of(
      String reason, String message, String topic, Integer partition, Long offset, byte[] key, byte[] value, Instant time) {
    Payload k = Payload.of(key);
    Payload p = Payload.of(value);
    // A binary key is rare; keep it readable as base64 in the same field rather than add another one.
    return new DeadLetter(
        GenerationEvent.SCHEMA_VERSION, reason, message, topic, partition, offset,
        k == null ? null : k.text(), p == null ? null : p.text(), p == null ? null : p.encoding(), time);
  }

  private record Payload(String text, String encoding) {
    static Payload of(byte[] bytes) {
      if (bytes == null) {
        return null;
      }
      try {
        String text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
        return new Payload(text, "utf8");
      } catch (CharacterCodingException e) {
        return new Payload(Base64.getEncoder().encodeToString(bytes), "base64");
      }
    }
  }
}
