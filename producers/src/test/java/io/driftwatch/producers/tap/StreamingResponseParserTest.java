package io.driftwatch.producers.tap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.contract.EventValidator;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The streaming parser on recorded OpenAI streams: what it publishes, however the bytes are cut. */
class StreamingResponseParserTest {

  static final String CHAT_REQUEST = """
      {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"temperature":0.7,"max_tokens":256,
       "messages":[{"role":"system","content":"You are a marine biologist."},{"role":"user","content":"Tell me about whales."}]}""";
  static final String CHAT_PROMPT = "system: You are a marine biologist.\nuser: Tell me about whales.";
  static final String COMPLETION_REQUEST = """
      {"model":"gpt-3.5-turbo-instruct","stream":true,"logprobs":2,"max_tokens":12,"prompt":"Sperm whales are deep divers."}""";

  private final RecordingSink sink = new RecordingSink();
  private final TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), () -> new TokenStreamPublisher.Stats(0, 0, 0, 0, 0, 0));

  private StreamingResponseParser parser(Endpoint endpoint, String requestJson) throws Exception {
    CompletionRequest request = CompletionRequest.from(endpoint, OpenAiJson.read(requestJson));
    String path = endpoint == Endpoint.CHAT ? "/v1/chat/completions" : "/v1/completions";
    return new StreamingResponseParser(new GenerationRecorder(sink, metrics, new TapContext("tap-test", Map.of("team", "whales")),
        request, path, true), metrics, endpoint);
  }

  private void replay(String fixture, Endpoint endpoint, String requestJson) throws Exception {
    StreamingResponseParser p = parser(endpoint, requestJson);
    byte[] all = Fixtures.bytes(fixture);
    p.bytes(all, 0, all.length);
    p.complete();
  }

  @Test
  void aChatStreamBecomesStartOneTokenPerDeltaAndEnd() throws Exception {
    replay("chat-stream.sse", Endpoint.CHAT, CHAT_REQUEST);
    String id = "chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH:0";
    List<GenerationEvent> events = sink.of(id);
    assertThat(events).hasSize(1 + 43 + 1).allSatisfy(e -> assertThat(EventValidator.validate(e)).isEmpty());
    GenerationEvent.Start start = (GenerationEvent.Start) events.get(0);
    assertThat(start.prompt()).isEqualTo(CHAT_PROMPT);
    assertThat(start.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(start.runId()).isEqualTo("tap-test");
    assertThat(start.sampling()).isEqualTo(new GenerationEvent.Sampling(0.7, null, null, 256, null));
    assertThat(start.attributes()).isEqualTo(Map.of("path", "/v1/chat/completions", "endpoint", "chat.completions", "stream", "true",
        "request_model", "gpt-4o-mini", "team", "whales"));
    assertThat(sink.text(id)).isEqualTo("Whales are the largest animals ever known to have lived; the blue whale can reach about 30"
        + " metres — longer than a basketball court. 🐋 Their songs carry for hundreds of kilometres through the café-coloured deep.");
    assertThat(sink.tokens(id)).extracting(GenerationEvent.Token::seq).containsExactlyElementsOf(LongStream.range(0, 43).boxed().toList());
    assertThat(sink.tokens(id)).allSatisfy(t -> assertThat(t.logprob()).isNull());
    assertThat(events.get(events.size() - 1)).isEqualTo(new GenerationEvent.End(1, id, "stop", sink.clock().instant()));
    assertThat(MetricsText.value(metrics.registry(), "driftwatch_tap_generations_total{endpoint=\"chat.completions\",mode=\"stream\"}"))
        .isEqualTo(1);
  }

  @Test
  void responsesThatShareAShortIdStillGiveGenerationsOfTheirOwn() throws Exception {
    // Ollama numbers its responses chatcmpl-0 to chatcmpl-998: two of them may well carry the same id.
    String stream = new String(Fixtures.bytes("chat-stream.sse"), UTF_8).replace("chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH", "chatcmpl-417");
    for (int i = 0; i < 2; i++) {
      StreamingResponseParser p = parser(Endpoint.CHAT, CHAT_REQUEST);
      byte[] all = stream.getBytes(UTF_8);
      p.bytes(all, 0, all.length);
      p.complete();
    }
    List<GenerationEvent.Start> starts = sink.events.stream().filter(GenerationEvent.Start.class::isInstance)
        .map(GenerationEvent.Start.class::cast).toList();
    assertThat(starts).hasSize(2).allSatisfy(start -> {
      assertThat(start.generationId()).matches("chatcmpl-417~[0-9a-f]+:0");
      assertThat(start.attributes()).containsEntry("response_id", "chatcmpl-417");
    });
    assertThat(starts.get(0).generationId()).isNotEqualTo(starts.get(1).generationId());
    for (GenerationEvent.Start start : starts) {
      assertThat(sink.of(start.generationId())).hasSize(1 + 43 + 1);
    }
  }

  @Test
  void chatLogprobsGoWithTheirTokens() throws Exception {
    replay("chat-stream-logprobs.sse", Endpoint.CHAT, CHAT_REQUEST.replace("\"stream\":true", "\"stream\":true,\"logprobs\":true,\"top_logprobs\":2"));
    String id = "chatcmpl-AXf5Qb2LrT8wVn4kZ0cJhYp6sMe3G:0";
    assertThat(sink.tokens(id)).containsExactlyElementsOf(expectedTokens("chat-stream-logprobs.expected.json", id));
    assertThat(((GenerationEvent.End) sink.of(id).get(sink.of(id).size() - 1)).finishReason()).isEqualTo("length");
  }

  @Test
  void textCompletionTokensComeWithTheirLogprobsAndAlternatives() throws Exception {
    replay("completion-stream.sse", Endpoint.COMPLETIONS, COMPLETION_REQUEST);
    String id = "cmpl-AXf6Tz9pKc1Wm3xRb7Ln0dQy5vHu2:0";
    GenerationEvent.Start start = (GenerationEvent.Start) sink.of(id).get(0);
    assertThat(start.prompt()).isEqualTo("Sperm whales are deep divers.");
    assertThat(start.model()).isEqualTo("gpt-3.5-turbo-instruct:20230824-v2");
    assertThat(start.attributes()).containsEntry("endpoint", "completions").containsEntry("path", "/v1/completions");
    assertThat(sink.tokens(id)).containsExactlyElementsOf(expectedTokens("completion-stream.expected.json", id));
    assertThat(sink.text(id)).isEqualTo(" They dive deeper than 2,000 metres to hunt squid.");
    assertThat(((GenerationEvent.End) sink.of(id).get(sink.of(id).size() - 1)).finishReason()).isEqualTo("length");
  }

  @Test
  void eachChoiceOfAMultiChoiceStreamIsItsOwnGeneration() throws Exception {
    replay("chat-stream-n2.sse", Endpoint.CHAT, CHAT_REQUEST.replace("\"stream\":true", "\"stream\":true,\"n\":2"));
    String first = "chatcmpl-AXf7Hn2Vq8Lc4Tb0Xw6Ys1Rk9Pd3J:0";
    String second = "chatcmpl-AXf7Hn2Vq8Lc4Tb0Xw6Ys1Rk9Pd3J:1";
    assertThat(sink.events.stream().map(GenerationEvent::generationId).distinct()).containsExactly(first, second);
    assertThat(sink.text(first)).isEqualTo("Baleen whales filter krill.");
    assertThat(sink.text(second)).isEqualTo("Toothed whales hunt fish, squid and seals.");
    assertThat(sink.tokens(second)).extracting(GenerationEvent.Token::seq).containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
    for (String id : List.of(first, second)) {
      assertThat(((GenerationEvent.Start) sink.of(id).get(0)).prompt()).isEqualTo(CHAT_PROMPT);
    }
    assertThat(((GenerationEvent.End) sink.of(first).get(sink.of(first).size() - 1)).finishReason()).isEqualTo("stop");
    assertThat(((GenerationEvent.End) sink.of(second).get(sink.of(second).size() - 1)).finishReason()).isEqualTo("length");
  }

  @Test
  void aStreamThatStopsBeforeDoneEndsDisconnected() throws Exception {
    replay("chat-stream-cut.sse", Endpoint.CHAT, CHAT_REQUEST);
    String id = "chatcmpl-AXf8Jd4Ws0Nf6Vc2Zy8Au3Tm1Rg5K:0";
    assertThat(sink.text(id)).isEqualTo("The sperm whale has the largest brain of");
    assertThat(((GenerationEvent.End) sink.of(id).get(sink.of(id).size() - 1)).finishReason()).isEqualTo("disconnected");
  }

  @Test
  void aStreamBrokenMidEventEndsDisconnectedWithTheTokensReadSoFar() throws Exception {
    StreamingResponseParser p = parser(Endpoint.CHAT, CHAT_REQUEST);
    byte[] all = Fixtures.bytes("chat-stream.sse");
    int cut = Fixtures.text("chat-stream.sse").indexOf("\" whale\"") + 3; // inside the 15th content chunk
    p.bytes(all, 0, cut);
    p.broken();
    String id = "chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH:0";
    assertThat(sink.text(id)).isEqualTo("Whales are the largest animals ever known to have lived; the blue");
    assertThat(((GenerationEvent.End) sink.of(id).get(sink.of(id).size() - 1)).finishReason()).isEqualTo("disconnected");
  }

  @Test
  void theSameEventsHoweverTheBytesAreCut() throws Exception {
    for (String fixture : Fixtures.STREAMS) {
      Endpoint endpoint = fixture.startsWith("completion") ? Endpoint.COMPLETIONS : Endpoint.CHAT;
      String request = endpoint == Endpoint.CHAT ? CHAT_REQUEST : COMPLETION_REQUEST;
      replay(fixture, endpoint, request);
      List<GenerationEvent> whole = new ArrayList<>(sink.events);
      for (int seed = 0; seed < 20; seed++) {
        sink.events.clear();
        StreamingResponseParser p = parser(endpoint, request);
        for (byte[] piece : Fixtures.randomPieces(Fixtures.bytes(fixture), new Random(seed), 1 + seed % 13)) {
          p.bytes(piece, 0, piece.length);
        }
        p.complete();
        assertThat(sink.events).as(fixture + " seed " + seed).isEqualTo(whole);
      }
      sink.events.clear();
    }
  }

  @Test
  void anUnreadableEventIsCountedAndSkippedAndTheRestStillRead() throws Exception {
    String stream = Fixtures.text("chat-stream.sse");
    int at = stream.indexOf("data: ", stream.indexOf("\" blue\""));
    String broken = stream.substring(0, at) + "data: {\"id\":\"chatcmpl-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"oops\"\n\n"
        + "data: [1,2]\n\n" + stream.substring(at);
    StreamingResponseParser p = parser(Endpoint.CHAT, CHAT_REQUEST);
    byte[] bytes = broken.getBytes(UTF_8);
    p.bytes(bytes, 0, bytes.length);
    p.complete();
    String id = "chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH:0";
    assertThat(sink.tokens(id)).hasSize(43);
    assertThat(MetricsText.value(metrics.registry(), "driftwatch_tap_parse_errors_total{reason=\"chunk_json\"}")).isEqualTo(1);
    assertThat(MetricsText.value(metrics.registry(), "driftwatch_tap_parse_errors_total{reason=\"chunk_shape\"}")).isEqualTo(1);
  }

  @Test
  void anErrorEventMidStreamEndsTheOpenChoicesWithError() throws Exception {
    String stream = Fixtures.text("chat-stream-cut.sse")
        + "data: {\"error\":{\"message\":\"The model is overloaded.\",\"type\":\"server_error\",\"code\":503}}\n\ndata: [DONE]\n\n";
    StreamingResponseParser p = parser(Endpoint.CHAT, CHAT_REQUEST);
    byte[] bytes = stream.getBytes(UTF_8);
    p.bytes(bytes, 0, bytes.length);
    p.complete();
    String id = "chatcmpl-AXf8Jd4Ws0Nf6Vc2Zy8Au3Tm1Rg5K:0";
    List<GenerationEvent> events = sink.of(id);
    assertThat(events).filteredOn(GenerationEvent.End.class::isInstance).hasSize(1);
    assertThat(((GenerationEvent.End) events.get(events.size() - 1)).finishReason()).isEqualTo("error");
  }

  /** The token events a fixture's expectation file describes: text, logprob and alternatives, seq from 0. */
  static List<GenerationEvent.Token> expectedTokens(String file, String generationId) throws Exception {
    JsonNode rows = new ObjectMapper().readTree(Fixtures.bytes(file));
    List<GenerationEvent.Token> out = new ArrayList<>();
    for (JsonNode row : rows) {
      List<GenerationEvent.TopLogprob> top = new ArrayList<>();
      row.get("top").forEach(alt -> top.add(new GenerationEvent.TopLogprob(alt.get(0).asText(), alt.get(1).asDouble())));
      out.add(new GenerationEvent.Token(1, generationId, (long) out.size(), row.get("text").asText(), null,
          row.get("logprob").asDouble(), top, new RecordingSink().clock().instant()));
    }
    return out;
  }
}
