package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopChunksTest {

  private static final StopDecision LOOP = new StopDecision("chatcmpl-1:0", "loop", "in_process", 212, " </td>\"\n<script>", 0);

  @Test
  void aChatStreamEndsWithAFinalChunkPerOpenChoiceThenDone() throws Exception {
    byte[] ending = StopChunks.ending(Endpoint.CHAT, "chatcmpl-1", "gpt-4o-mini", List.of(0, 2), "content_filter", LOOP, 1764806400);
    List<String> data = events(ending);
    assertThat(data).hasSize(3).last().isEqualTo("[DONE]");
    for (int i = 0; i < 2; i++) {
      JsonNode chunk = OpenAiJson.read(data.get(i));
      assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.get("id").asText()).isEqualTo("chatcmpl-1");
      JsonNode choice = chunk.get("choices").get(0);
      assertThat(choice.get("index").asInt()).isEqualTo(i == 0 ? 0 : 2);
      assertThat(choice.get("delta").isObject()).isTrue();
      assertThat(choice.get("finish_reason").asText()).isEqualTo("content_filter");
      JsonNode guard = chunk.get(StopChunks.FIELD);
      assertThat(guard.get("rule").asText()).isEqualTo("loop");
      assertThat(guard.get("seq").asLong()).isEqualTo(212);
      // Model text comes back as it was, escaped in the JSON and unable to break the event's line.
      assertThat(guard.get("token").asText()).isEqualTo(" </td>\"\n<script>");
    }
  }

  @Test
  void aTextCompletionStreamEndsWithAnEmptyTextChoice() throws Exception {
    List<String> data = events(StopChunks.ending(Endpoint.COMPLETIONS, "cmpl-1", "m", List.of(0), "length", LOOP, 1));
    JsonNode chunk = OpenAiJson.read(data.get(0));
    assertThat(chunk.get("object").asText()).isEqualTo("text_completion");
    assertThat(chunk.get("choices").get(0).get("text").asText()).isEmpty();
    assertThat(chunk.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
  }

  /** The data of each event, read by the tap's own event-stream parser. */
  private static List<String> events(byte[] bytes) {
    List<String> out = new ArrayList<>();
    SseParser parser = new SseParser(e -> out.add(e.data()), () -> {});
    parser.feed(bytes, 0, bytes.length);
    return out;
  }
}
