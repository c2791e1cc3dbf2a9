package io.driftwatch.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.contract.GenerationEvent.Chunk;
import io.driftwatch.contract.GenerationEvent.ChunkToken;
import io.driftwatch.contract.GenerationEvent.End;
import io.driftwatch.contract.GenerationEvent.Sampling;
import io.driftwatch.contract.GenerationEvent.Start;
import io.driftwatch.contract.GenerationEvent.Token;
import io.driftwatch.contract.GenerationEvent.TopLogprob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {

  private static final Instant T = Instant.parse("2026-11-24T06:00:00.125Z");

  @Test
  void everyEventTypeSurvivesARoundTrip() throws Exception {
    List<GenerationEvent> events = List.of(
        new Start(1, "g-1", "run-7", "llama-3-8b", "Tell me about <b>whales</b>.",
            new Sampling(0.7, 0.95, 40, 256, 42L), Map.of("scenario", "steady"), T),
        new Token(1, "g-1", 0L, " Whales", 1234, -0.25, List.of(new TopLogprob(" Whales", -0.25), new TopLogprob(" The", -1.5)), T),
        new Token(1, "g-1", 1L, " are", null, null, null, T),
        new Chunk(1, "g-1", 2L, List.of(new ChunkToken(" large", 99, -0.1, null), new ChunkToken(".", null, null, null)), T),
        new End(1, "g-1", "stop", T));
    for (GenerationEvent event : events) {
      assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
    }
  }

  @Test
  void writesSnakeCaseWithTypeAndLeavesOutNulls() {
    String json = new String(EventCodec.encode(new Token(1, "g-1", 3L, "hi", null, null, null, T)), UTF_8);
    assertThat(json)
        .contains("\"type\":\"token\"", "\"generation_id\":\"g-1\"", "\"seq\":3", "\"event_time\":\"2026-11-24T06:00:00.125Z\"")
        .doesNotContain("logprob", "token_id", "null", "type_name");
  }

  @Test
  void readsTheDocumentedExampleAndToleratesUnknownFields() throws Exception {
    String json = """
        {"v":1,"type":"token","generation_id":"g-9","seq":0,"text":" Hello","logprob":-0.4,
         "event_time":"2026-11-24T06:00:00Z","producer":"my-sdk","extra":{"nested":[1,2,3]}}""";
    GenerationEvent event = EventCodec.decode(json.getBytes(UTF_8));
    assertThat(event).isEqualTo(new Token(1, "g-9", 0L, " Hello", null, -0.4, null, Instant.parse("2026-11-24T06:00:00Z")));
  }

  @Test
  void anEndWithTheGuardsDecisionSurvivesARoundTripInTheDocumentedForm() throws Exception {
    End stopped = new End(1, "g-1", "content_filter", T,
        new GenerationEvent.Guard("loop", GenerationEvent.Guard.IN_PROCESS, GenerationEvent.Guard.STOPPED, 212L, 3L, 1788L));
    String json = new String(EventCodec.encode(stopped), UTF_8);
    assertThat(json).contains("\"guard\":{\"rule\":\"loop\",\"path\":\"in_process\",\"action\":\"stopped\",\"seq\":212,"
        + "\"tokens_after\":3,\"max_tokens_left\":1788}");
    assertThat(EventCodec.decode(json.getBytes(UTF_8))).isEqualTo(stopped);
    // An end without a decision has no guard field at all: what every other producer writes stays the same.
    assertThat(new String(EventCodec.encode(new End(1, "g-1", "stop", T)), UTF_8)).doesNotContain("guard");
  }

  @Test
  void chunkExpandsToConsecutiveTokens() {
    Chunk chunk = new Chunk(1, "g", 10L, List.of(new ChunkToken("a", null, null, null), new ChunkToken("b", 5, -1.0, null)), T);
    assertThat(chunk.expand()).containsExactly(
        new Token(1, "g", 10L, "a", null, null, null, T),
        new Token(1, "g", 11L, "b", 5, -1.0, null, T));
  }

  @Test
  void chunkTokensKeepTheirOwnTimesThroughTheWireForm() throws Exception {
    Chunk chunk = new Chunk(1, "g", 0L, List.of(new ChunkToken("a", null, -0.5, List.of(new TopLogprob("a", -0.5))),
        new ChunkToken("b", null, null, null, 12_345_678L)), T);
    String json = new String(EventCodec.encode(chunk), UTF_8);
    assertThat(json).contains("{\"text\":\"b\",\"offset_ns\":12345678}");
    GenerationEvent back = EventCodec.decode(json.getBytes(UTF_8));
    assertThat(back).isEqualTo(chunk);
    assertThat(((Chunk) back).expand()).extracting(Token::eventTime).containsExactly(T, T.plusNanos(12_345_678L));
  }

  @Test
  void aNegativeChunkTokenOffsetBreaksItsRule() {
    String json = """
        {"v":1,"type":"chunk","generation_id":"g","seq":0,"tokens":[{"text":"a","offset_ns":-1}],"event_time":"2026-11-24T06:00:00Z"}""";
    assertThatThrownBy(() -> EventCodec.decode(json.getBytes(UTF_8)))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.rule()).isEqualTo("offset_ns.non_negative"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      json.malformed        | {"v":1,"type":"token",
      json.malformed        | {"v":1,"type":"end","generation_id":"g","finish_reason":"stop","event_time":"2026-11-24T06:00:00Z"} x
      json.not_object       | [1,2,3]
      json.not_object       | "just text"
      type.required         | {"v":1,"generation_id":"g","event_time":"2026-11-24T06:00:00Z"}
      type.unknown          | {"v":1,"type":"tokn","generation_id":"g","event_time":"2026-11-24T06:00:00Z"}
      field.type            | {"v":1,"type":"token","generation_id":"g","seq":"first","text":"x","event_time":"2026-11-24T06:00:00Z"}
      field.type            | {"v":1,"type":"token","generation_id":"g","seq":0,"text":"x","event_time":"yesterday"}
      v.required            | {"type":"token","generation_id":"g","seq":0,"text":"x","event_time":"2026-11-24T06:00:00Z"}
      v.supported           | {"v":2,"type":"token","generation_id":"g","seq":0,"text":"x","event_time":"2026-11-24T06:00:00Z"}
      generation_id.required| {"v":1,"type":"token","generation_id":" ","seq":0,"text":"x","event_time":"2026-11-24T06:00:00Z"}
      generation_id.control | {"v":1,"type":"token","generation_id":"victim\\u0000s\\u0000x","seq":0,"text":"x","event_time":"2026-11-24T06:00:00Z"}
      generation_id.control | {"v":1,"type":"chunk","generation_id":"g\\n","seq":0,"tokens":[{"text":"a"}],"event_time":"2026-11-24T06:00:00Z"}
      run_id.control        | {"v":1,"type":"start","generation_id":"g","run_id":"r\\u007f","model":"m","prompt":"","event_time":"2026-11-24T06:00:00Z"}
      event_time.required   | {"v":1,"type":"token","generation_id":"g","seq":0,"text":"x"}
      seq.required          | {"v":1,"type":"token","generation_id":"g","text":"x","event_time":"2026-11-24T06:00:00Z"}
      seq.non_negative      | {"v":1,"type":"token","generation_id":"g","seq":-1,"text":"x","event_time":"2026-11-24T06:00:00Z"}
      text.required         | {"v":1,"type":"token","generation_id":"g","seq":0,"event_time":"2026-11-24T06:00:00Z"}
      logprob.range         | {"v":1,"type":"token","generation_id":"g","seq":0,"text":"x","logprob":0.5,"event_time":"2026-11-24T06:00:00Z"}
      top_logprobs.entry    | {"v":1,"type":"token","generation_id":"g","seq":0,"text":"x","top_logprobs":[{"token":"y"}],"event_time":"2026-11-24T06:00:00Z"}
      tokens.non_empty      | {"v":1,"type":"chunk","generation_id":"g","seq":0,"tokens":[],"event_time":"2026-11-24T06:00:00Z"}
      text.required         | {"v":1,"type":"chunk","generation_id":"g","seq":0,"tokens":[{"token_id":3}],"event_time":"2026-11-24T06:00:00Z"}
      run_id.required       | {"v":1,"type":"start","generation_id":"g","model":"m","prompt":"","event_time":"2026-11-24T06:00:00Z"}
      model.required        | {"v":1,"type":"start","generation_id":"g","run_id":"r","prompt":"","event_time":"2026-11-24T06:00:00Z"}
      prompt.required       | {"v":1,"type":"start","generation_id":"g","run_id":"r","model":"m","event_time":"2026-11-24T06:00:00Z"}
      sampling.top_p.range  | {"v":1,"type":"start","generation_id":"g","run_id":"r","model":"m","prompt":"","sampling":{"top_p":0},"event_time":"2026-11-24T06:00:00Z"}
      finish_reason.required| {"v":1,"type":"end","generation_id":"g","event_time":"2026-11-24T06:00:00Z"}
      """)
  void rejectsBrokenEventsNamingTheRule(String rule, String json) {
    assertThatThrownBy(() -> EventCodec.decode(json.getBytes(UTF_8)))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.rule()).isEqualTo(rule.strip());
          assertThat(e.detail()).isNotBlank();
        });
  }

  @Test
  void emptyAndNullValuesAreNamed() {
    assertThatThrownBy(() -> EventCodec.decode(new byte[0]))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.rule()).isEqualTo("json.empty"));
    assertThatThrownBy(() -> EventCodec.decode("null".getBytes(UTF_8)))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.rule()).isEqualTo("json.not_object"));
  }

  @Test
  void invalidUtf8IsNamed() {
    byte[] json = "{\"v\":1,\"type\":\"token\",\"generation_id\":\"g\",\"seq\":0,\"text\":\"??\",\"event_time\":\"2026-11-24T06:00:00Z\"}"
        .getBytes(UTF_8);
    int at = new String(json, UTF_8).indexOf("??");
    json[at] = (byte) 0xC3;
    json[at + 1] = (byte) 0x28;
    assertThatThrownBy(() -> EventCodec.decode(json))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.rule()).isEqualTo("json.invalid_utf8"));
  }

  @Test
  void oversizedTokensAreRejected() {
    Token huge = new Token(1, "g", 0L, "x".repeat(EventValidator.MAX_TOKEN_CHARS + 1), null, null, null, T);
    assertThatThrownBy(() -> EventCodec.decode(EventCodec.encode(huge)))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.rule()).isEqualTo("text.length"));
  }

  @Test
  void fieldTypeErrorsNameThePath() {
    String json = """
        {"v":1,"type":"chunk","generation_id":"g","seq":0,"tokens":[{"text":"a"},{"text":"b","logprob":"low"}],"event_time":"2026-11-24T06:00:00Z"}""";
    assertThatThrownBy(() -> EventCodec.decode(json.getBytes(UTF_8)))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.rule()).isEqualTo("field.type");
          assertThat(e.detail()).contains("tokens[1].logprob");
        });
  }

  @Test
  void validatorReportsEveryBrokenRuleInOrder() {
    List<Violation> violations = EventValidator.validate(new Token(null, "", -3L, null, null, 1.0, null, null));
    assertThat(violations).extracting(Violation::rule)
        .containsExactly("v.required", "generation_id.required", "event_time.required", "seq.non_negative", "text.required", "logprob.range");
  }

  @Test
  void deadLetterKeepsTextPayloadsAsTextAndBinaryAsBase64() {
    DeadLetter text = DeadLetter.of("json.malformed", "bad", "t", 0, 5L, "k".getBytes(UTF_8), "{oops".getBytes(UTF_8), T);
    assertThat(text.payload()).isEqualTo("{oops");
    assertThat(text.payloadEncoding()).isEqualTo("utf8");
    DeadLetter binary = DeadLetter.of("json.malformed", "bad", "t", 0, 5L, null, new byte[] {(byte) 0xff, 0x00, (byte) 0xfe}, T);
    assertThat(binary.payload()).isEqualTo("/wD+");
    assertThat(binary.payloadEncoding()).isEqualTo("base64");
    assertThat(binary.key()).isNull();
  }

  @Test
  void deadLetterKeepsABoundedPrefixWithTheFullLengthAndHash() throws Exception {
    // "é" is two bytes, placed so that the cut falls inside one.
    byte[] text = ("x" + "é".repeat(DeadLetter.MAX_PAYLOAD_BYTES)).getBytes(UTF_8);
    DeadLetter letter = DeadLetter.of("json.malformed", "m".repeat(5000), "t", 0, 5L, "k".repeat(2000).getBytes(UTF_8), text, T);
    assertThat(letter.payloadEncoding()).isEqualTo("utf8");
    assertThat(letter.payloadTruncated()).isTrue();
    assertThat(letter.payload().getBytes(UTF_8).length).isBetween(DeadLetter.MAX_PAYLOAD_BYTES - 1, DeadLetter.MAX_PAYLOAD_BYTES);
    assertThat(new String(text, UTF_8)).startsWith(letter.payload());
    assertThat(letter.payloadBytes()).isEqualTo(text.length);
    assertThat(letter.payloadSha256()).isEqualTo(
        java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text)));
    assertThat(letter.message()).hasSize(DeadLetter.MAX_MESSAGE_CHARS).endsWith("…");
    assertThat(letter.key()).hasSize(DeadLetter.MAX_KEY_BYTES);
    assertThat(letter.keyTruncated()).isTrue();

    byte[] binary = new byte[990_000];
    new java.util.Random(19).nextBytes(binary);
    binary[0] = (byte) 0xff;
    DeadLetter big = DeadLetter.of("json.invalid_utf8", "bad", "t", 0, 6L, "g".getBytes(UTF_8), binary, T);
    assertThat(big.payloadEncoding()).isEqualTo("base64");
    assertThat(java.util.Base64.getDecoder().decode(big.payload()))
        .isEqualTo(java.util.Arrays.copyOf(binary, DeadLetter.MAX_PAYLOAD_BYTES));
    assertThat(big.payloadBytes()).isEqualTo(990_000);
    assertThat(big.keyTruncated()).isNull();
    String json = new String(EventCodec.toJson(big), UTF_8);
    assertThat(json.length()).isLessThan(DeadLetter.MAX_PAYLOAD_BYTES * 2);
    assertThat(json).contains("\"payload_bytes\":990000", "\"payload_truncated\":true", "\"payload_sha256\":\"" + big.payloadSha256());
  }

  @Test
  void aWholePayloadIsNotMarkedTruncated() {
    DeadLetter letter = DeadLetter.of("json.malformed", "bad", "t", 0, 5L, null, "{oops".getBytes(UTF_8), T);
    assertThat(letter.payloadTruncated()).isNull();
    assertThat(new String(EventCodec.toJson(letter), UTF_8)).doesNotContain("truncated").contains("\"payload_bytes\":5");
  }
}
