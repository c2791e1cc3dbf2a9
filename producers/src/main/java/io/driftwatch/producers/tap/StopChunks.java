package io.driftwatch.producers.tap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The end of a stream the guard stopped, in the API's own form: one final chunk per open choice with
 * the guard's finish reason and a {@code driftwatch_guard} object naming the rule and the tripping
 * token, then {@code data: [DONE]}. A client library parses it as any stream that ended early; one that
 * knows the field can say why.
 */
final class StopChunks {

  /** The field of the final chunk that says why the stream ended. */
  static final String FIELD = "driftwatch_guard";

  private StopChunks() {}

  /**
   * @param choices the choice indexes still open
   * @param token the tripping token's text: model output, written as an escaped JSON string only
   */
  static byte[] ending(Endpoint endpoint, String responseId, String model, List<Integer> choices, String finishReason,
      StopDecision decision, long createdEpochSeconds) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int index : choices) {
      ObjectNode chunk = JsonNodeFactory.instance.objectNode();
      chunk.put("id", responseId);
      chunk.put("object", endpoint == Endpoint.CHAT ? "chat.completion.chunk" : "text_completion");
      chunk.put("created", createdEpochSeconds);
      chunk.put("model", model);
      ArrayNode array = chunk.putArray("choices");
      ObjectNode choice = array.addObject();
      choice.put("index", index);
      if (endpoint == Endpoint.CHAT) {
        choice.putObject("delta");
      } else {
        choice.put("text", "");
      }
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason);
      ObjectNode guard = chunk.putObject(FIELD);
      guard.put("rule", decision.rule());
      guard.put("path", decision.path());
      guard.put("generation_id", decision.generationId());
      guard.put("seq", decision.seq());
      guard.put("token", decision.token());
      write(out, "data: " + chunk + "\n\n");
    }
    write(out, "data: [DONE]\n\n");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
