package io.driftwatch.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void acceptsWellFormedTextOfEveryLength() {
    assertThat(Utf8.firstInvalid("a é € 😀 中".getBytes(UTF_8))).isEqualTo(-1);
    assertThat(Utf8.firstInvalid(new byte[0])).isEqualTo(-1);
  }

  @Test
  void findsTheFirstBadSequence() {
    assertThat(Utf8.firstInvalid(bytes(0x61, 0xED, 0xA0, 0x80))).as("encoded surrogate").isEqualTo(1);
    assertThat(Utf8.firstInvalid(bytes(0xC0, 0xAF))).as("overlong").isZero();
    assertThat(Utf8.firstInvalid(bytes(0xE0, 0x80, 0xAF))).as("overlong, three bytes").isZero();
    assertThat(Utf8.firstInvalid(bytes(0xF4, 0x90, 0x80, 0x80))).as("above U+10FFFF").isZero();
    assertThat(Utf8.firstInvalid(bytes(0x61, 0x62, 0xF0, 0x9F, 0x98))).as("truncated").isEqualTo(2);
    assertThat(Utf8.firstInvalid(bytes(0x80))).as("lone continuation").isZero();
    assertThat(Utf8.firstInvalid(bytes(0xC3, 0x28))).as("bad continuation").isZero();
  }

  /** Agrees with the JDK's strict decoder on random bytes. */
  @Test
  void agreesWithTheJdkDecoder() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[random.nextInt(8)];
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(0x100));
      }
      assertThat(Utf8.firstInvalid(b) < 0).as("bytes %s", java.util.Arrays.toString(b)).isEqualTo(jdkAccepts(b));
    }
  }

  /**
   * Regression (found by EventCodecFuzzTest): Jackson's byte parser accepts F4 90 80 80 (a code point
   * above U+10FFFF) inside an attribute's name, reading it as a broken surrogate pair, and the event then
   * could not be written back out in a form the decoder accepts.
   */
  @Test
  void aCodePointAboveTheUnicodeRangeInAnAttributeNameIsInvalidUtf8() {
    byte[] json = ("{\"v\":1,\"type\":\"start\",\"generation_id\":\"g\",\"run_id\":\"r\",\"model\":\"m\",\"prompt\":\"\","
        + "\"attributes\":{\"kWXYZ\":\"v\"},\"event_time\":\"2026-11-24T06:00:00Z\"}")
        .getBytes(UTF_8);
    int at = new String(json, UTF_8).indexOf("WXYZ");
    json[at] = (byte) 0xF4;
    json[at + 1] = (byte) 0x90;
    json[at + 2] = (byte) 0x80;
    json[at + 3] = (byte) 0x80;
    assertThatThrownBy(() -> EventCodec.decode(json))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.rule()).isEqualTo("json.invalid_utf8"));
  }

  private static boolean jdkAccepts(byte[] b) {
    try {
      UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
