package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.contract.EventValidator;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import io.driftwatch.producers.text.SimpleTokenizer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The non-streaming parser on recorded responses. */
class JsonResponseParserTest {

  private final RecordingSink sink = new RecordingSink();
  private final TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), () -> new TokenStreamPublisher.Stats(0, 0, 0, 0, 0, 0));

  private JsonResponseParser parser(Endpoint endpoint, String requestJson, int maxBytes) throws Exception {
    CompletionRequest request = CompletionRequest.from(endpoint, OpenAiJson.read(requestJson));
    return new JsonResponseParser(new GenerationRecorder(sink, metrics, new TapContext("tap", Map.of()), request, "/v1/x", false),
        metrics, endpoint, maxBytes);
  }

  private void feedInPieces(JsonResponseParser p, String fixture) {
    for (byte[] piece : Fixtures.randomPieces(Fixtures.bytes(fixture), new Random(3), 700)) {
      p.bytes(piece, 0, piece.length);
    }
  }

  @Test
  void aChatCompletionWithLogprobsIsPublishedInTheModelsOwnTokens() throws Exception {
    JsonResponseParser p = parser(Endpoint.CHAT, "{\"model\":\"gpt-4o-mini\",\"logprobs\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Are whales mammals?\"}]}",
        JsonResponseParser.DEFAULT_MAX_BYTES);
    feedInPieces(p, "chat-completion.json");
    p.complete();
    String id = "chatcmpl-AXf9Lf6Yu2Ph8Xe4Bz0Cw5Vo3Ti7M:0";
    JsonNode content = new ObjectMapper().readTree(Fixtures.bytes("chat-completion.json")).at("/choices/0/logprobs/content");
    List<GenerationEvent.Token> tokens = sink.tokens(id);
    assertThat(tokens).hasSize(content.size());
    for (int i = 0; i < tokens.size(); i++) {
      assertThat(tokens.get(i).text()).isEqualTo(content.get(i).get("token").asText());
      assertThat(tokens.get(i).logprob()).isEqualTo(content.get(i).get("logprob").asDouble());
      assertThat(tokens.get(i).topLogprobs()).hasSize(2);
    }
    assertThat(sink.text(id)).isEqualTo("Yes, whales are mammals: they breathe air and nurse their young.");
    GenerationEvent.Start start = (GenerationEvent.Start) sink.of(id).get(0);
    assertThat(start.prompt()).isEqualTo("user: Are whales mammals?");
    assertThat(start.attributes()).containsEntry("stream", "false");
    assertThat(((GenerationEvent.End) sink.of(id).get(sink.of(id).size() - 1)).finishReason()).isEqualTo("stop");
    assertThat(sink.events).allSatisfy(e -> assertThat(EventValidator.validate(e)).isEmpty());
  }

  @Test
  void aCompletionWithoutLogprobsIsSplitBySimpleTokenizer() throws Exception {
    JsonResponseParser p = parser(Endpoint.COMPLETIONS, "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Narwhals:\"}",
        JsonResponseParser.DEFAULT_MAX_BYTES);
    feedInPieces(p, "completion.json");
    p.complete();
    String id = "cmpl-AXfAMg7Zv3Qi9Yf5Ca1Dx6Wp4Uj8N:0";
    String text = " The narwhal's tusk is a tooth that can grow to three metres.";
    assertThat(sink.tokens(id)).extracting(GenerationEvent.Token::text).containsExactlyElementsOf(SimpleTokenizer.tokenize(text));
    assertThat(sink.tokens(id)).allSatisfy(t -> assertThat(t.logprob()).isNull());
    assertThat(((GenerationEvent.Start) sink.of(id).get(0)).prompt()).isEqualTo("Narwhals:");
    assertThat(MetricsText.value(metrics.registry(), "driftwatch_tap_generations_total{endpoint=\"completions\",mode=\"json\"}")).isEqualTo(1);
  }

  @Test
  void anErrorBodyPublishesNothingAndIsCounted() throws Exception {
    JsonResponseParser p = parser(Endpoint.CHAT, "{\"model\":\"gpt-4o-mini\",\"messages\":[]}", JsonResponseParser.DEFAULT_MAX_BYTES);
    feedInPieces(p, "error-401.json");
    p.complete();
    assertThat(sink.events).isEmpty();
    assertThat(MetricsText.value(metrics.registry(), "driftwatch_tap_parse_errors_total{reason=\"response_shape\"}")).isEqualTo(1);
  }

  @Test
  void aBodyAboveTheBoundIsNotReadAndIsCounted() throws Exception {
    JsonResponseParser p = parser(Endpoint.CHAT, "{\"model\":\"gpt-4o-mini\",\"messages\":[]}", 1000);
    feedInPieces(p, "chat-completion.json");
    p.complete();
    assertThat(sink.events).isEmpty();
    assertThat(MetricsText.value(metrics.registry(), "driftwatch_tap_parse_errors_total{reason=\"body_too_large\"}")).isEqualTo(1);
  }

  @Test
  void aBodyThatBrokeOffPublishesNothing() throws Exception {
    JsonResponseParser p = parser(Endpoint.CHAT, "{\"model\":\"gpt-4o-mini\",\"messages\":[]}", JsonResponseParser.DEFAULT_MAX_BYTES);
    byte[] all = Fixtures.bytes("chat-completion.json");
    p.bytes(all, 0, all.length / 2);
    p.broken();
    assertThat(sink.events).isEmpty();
  }

  @Test
  void theTokensOfAResponseThatCameWholeShareOneEventTimeSoNoSpeedIsMadeUp() throws Exception {
    // A clock that moves a microsecond at every reading, as a real one does between publications.
    java.util.concurrent.atomic.AtomicLong micros = new java.util.concurrent.atomic.AtomicLong();
    java.time.Clock ticking = new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return java.time.Instant.parse("2026-11-24T06:00:00Z").plusNanos(1000 * micros.incrementAndGet());
      }
    };
    RecordingSink ticks = new RecordingSink(ticking);
    CompletionRequest request = CompletionRequest.from(Endpoint.CHAT,
        OpenAiJson.read("{\"model\":\"gpt-4o-mini\",\"logprobs\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Are whales mammals?\"}]}"));
    JsonResponseParser p = new JsonResponseParser(new GenerationRecorder(ticks, metrics, new TapContext("tap", Map.of()), request,
        "/v1/x", false), metrics, Endpoint.CHAT, JsonResponseParser.DEFAULT_MAX_BYTES);
    feedInPieces(p, "chat-completion.json");
    p.complete();
    String id = "chatcmpl-AXf9Lf6Yu2Ph8Xe4Bz0Cw5Vo3Ti7M:0";
    List<GenerationEvent.Token> tokens = ticks.tokens(id);
    assertThat(tokens).hasSizeGreaterThan(5);
    assertThat(tokens).extracting(GenerationEvent.Token::eventTime).containsOnly(tokens.get(0).eventTime());
    // The end comes after them: the monitor's speed (tokens_per_second) spans the tokens' times only,
    // and is left out of the scores when they span no time (ScoringEngine.tokensPerSecond).
    GenerationEvent.End end = (GenerationEvent.End) ticks.of(id).get(ticks.of(id).size() - 1);
    assertThat(end.eventTime()).isAfterOrEqualTo(tokens.get(0).eventTime());
  }
}
