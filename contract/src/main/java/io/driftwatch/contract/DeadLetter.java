package io.driftwatch.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A record on the dead-letter topic: an input record that could not be used, with the rule it broke and
 * where it came from, so it can be found, fixed and replayed.
 *
 * <p>The payload keeps at most {@link #MAX_PAYLOAD_BYTES} bytes of the value, with the value's full
 * length and SHA-256, so that a dead letter always fits its topic whatever was rejected (the whole
 * record stays in the source topic at {@code sourceOffset}). It is UTF-8 text when the whole value is
 * valid UTF-8 (cut at a character boundary), and base64 otherwise ({@code payloadEncoding} says which).
 *
 * @param payloadBytes length of the whole value in bytes
 * @param payloadSha256 SHA-256 of the whole value, lower-case hex
 * @param payloadTruncated true when the payload is a prefix of the value; absent when it is whole
 * @param keyTruncated true when the key is a prefix of the record key; absent when it is whole
 */
public record DeadLetter(
    Integer v,
    String reason,
    String message,
    String sourceTopic,
    Integer sourcePartition,
    Long sourceOffset,
    String key,
    Boolean keyTruncated,
    String payload,
    String payloadEncoding,
    Integer payloadBytes,
    String payloadSha256,
    Boolean payloadTruncated,
    Instant time) {

  /** Most bytes of the rejected value a dead letter keeps. */
  public static final int MAX_PAYLOAD_BYTES = 16 * 1024;

  /** Most bytes of the rejected key a dead letter keeps; valid keys are generation ids of at most 256 characters. */
  public static final int MAX_KEY_BYTES = 1024;

  /** Most characters of the message; the messages of the rules are a line or two. */
  public static final int MAX_MESSAGE_CHARS = 1000;

  public static DeadLetter of(
      String reason, String message, String topic, Integer partition, Long offset, byte[] key, byte[] value, Instant time) {
    Payload k = Payload.of(key, MAX_KEY_BYTES);
    Payload p = Payload.of(value, MAX_PAYLOAD_BYTES);
    // A binary key is rare; keep it readable as base64 in the same field rather than add another one.
    return new DeadLetter(
        GenerationEvent.SCHEMA_VERSION, reason, boundedMessage(message), topic, partition, offset,
        k == null ? null : k.text(), k == null || !k.truncated() ? null : Boolean.TRUE,
        p == null ? null : p.text(), p == null ? null : p.encoding(),
        value == null ? null : value.length, value == null ? null : sha256(value),
        p == null || !p.truncated() ? null : Boolean.TRUE, time);
  }

  /** The message cut to {@link #MAX_MESSAGE_CHARS}, marked with an ellipsis when cut. */
  public static String boundedMessage(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int end = MAX_MESSAGE_CHARS - 1;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + "…";
  }

  /** Lower-case hex SHA-256 of the bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private record Payload(String text, String encoding, boolean truncated) {
    static Payload of(byte[] bytes, int max) {
      if (bytes == null) {
        return null;
      }
      boolean truncated = bytes.length > max;
      if (isUtf8(bytes)) {
        int end = bytes.length;
        if (truncated) {
          end = max;
          // Back to the start of a character: continuation bytes are 10xxxxxx.
          while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
          }
        }
        return new Payload(new String(bytes, 0, end, StandardCharsets.UTF_8), "utf8", truncated);
      }
      byte[] kept = truncated ? Arrays.copyOf(bytes, max) : bytes;
      return new Payload(Base64.getEncoder().encodeToString(kept), "base64", truncated);
    }

    private static boolean isUtf8(byte[] bytes) {
      try {
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes));
        return true;
      } catch (CharacterCodingException e) {
        return false;
      }
    }
  }
}
