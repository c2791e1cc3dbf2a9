package io.driftwatch.producers.tap;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.contract.GenerationEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tap needs from a chat or text-completion request: the model asked for, the prompt each
 * choice answers, and the sampling parameters.
 *
 * @param prompts one prompt for chat; for text completions one per prompt of a batched request
 *     ({@code "prompt": ["a", "b"]}), whose choices come {@code n} per prompt in order
 * @param n choices per prompt
 */
public record CompletionRequest(
    Endpoint endpoint, String model, List<String> prompts, int n, boolean stream, GenerationEvent.Sampling sampling) {

  public CompletionRequest {
    prompts = List.copyOf(prompts);
    n = Math.max(1, n);
  }

  /** The prompt that choice {@code index} of the response answers. */
  public String promptFor(int index) {
    if (prompts.isEmpty()) {
      return "";
    }
    return prompts.get(Math.min(Math.max(0, index) / n, prompts.size() - 1));
  }

  /** Reads a request body already parsed as JSON; anything missing or odd gets a neutral value. */
  public static CompletionRequest from(Endpoint endpoint, JsonNode body) {
    String model = Logprobs.text(body.get("model"));
    List<String> prompts = endpoint == Endpoint.CHAT ? List.of(renderMessages(body.get("messages"))) : completionPrompts(body.get("prompt"));
    JsonNode n = body.get("n");
    return new CompletionRequest(endpoint, model, prompts, n != null && n.canConvertToInt() ? n.asInt() : 1,
        body.path("stream").asBoolean(false), sampling(body));
  }

  /**
   * The conversation as "role: content" lines, one message per line. Content given as parts keeps its
   * text parts and names the others ({@code [image_url]}), so the prompt says an image was there.
   */
  static String renderMessages(JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      return "";
    }
    List<String> lines = new ArrayList<>(messages.size());
    for (JsonNode message : messages) {
      String role = message.path("role").asText("unknown");
      lines.add(role + ": " + renderContent(message));
    }
    return String.join("\n", lines);
  }

  private static String renderContent(JsonNode message) {
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      return content.asText();
    }
    List<String> parts = new ArrayList<>();
    if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        if (part.isTextual()) {
          parts.add(part.asText());
        } else if (part.path("text").isTextual()) {
          parts.add(part.get("text").asText());
        } else {
          parts.add("[" + part.path("type").asText("part") + "]");
        }
      }
    }
    if (message.path("tool_calls").isArray() && !message.get("tool_calls").isEmpty()) {
      parts.add("[tool_calls]");
    }
    return String.join("\n", parts);
  }

  /** A string, an array of strings, or token ids (kept as their JSON text, the tap has no tokenizer). */
  private static List<String> completionPrompts(JsonNode prompt) {
    if (prompt == null || prompt.isNull()) {
      return List.of("");
    }
    if (prompt.isTextual()) {
      return List.of(prompt.asText());
    }
    if (prompt.isArray() && !prompt.isEmpty() && allTextOrTokenArrays(prompt)) {
      List<String> out = new ArrayList<>(prompt.size());
      prompt.forEach(p -> out.add(p.isTextual() ? p.asText() : p.toString()));
      return out;
    }
    return List.of(prompt.toString());
  }

  private static boolean allTextOrTokenArrays(JsonNode prompts) {
    for (JsonNode p : prompts) {
      if (!p.isTextual() && !p.isArray()) {
        return false; // a flat array of token ids is one prompt
      }
    }
    return true;
  }

  /** Sampling parameters within the ranges the wire contract accepts; others are left out, not clamped. */
  static GenerationEvent.Sampling sampling(JsonNode body) {
    Double temperature = number(body.get("temperature"));
    if (temperature != null && !(temperature >= 0)) {
      temperature = null;
    }
    Double topP = number(body.get("top_p"));
    if (topP != null && !(topP > 0 && topP <= 1)) {
      topP = null;
    }
    Integer topK = integer(body.get("top_k"));
    if (topK != null && topK < 0) {
      topK = null; // vLLM's -1 means "off"
    }
    Integer maxTokens = integer(body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens"));
    if (maxTokens != null && maxTokens <= 0) {
      maxTokens = null;
    }
    JsonNode seedNode = body.get("seed");
    Long seed = seedNode != null && seedNode.canConvertToLong() && seedNode.isIntegralNumber() ? seedNode.asLong() : null;
    if (temperature == null && topP == null && topK == null && maxTokens == null && seed == null) {
      return null;
    }
    return new GenerationEvent.Sampling(temperature, topP, topK, maxTokens, seed);
  }

  private static Double number(JsonNode node) {
    return node != null && node.isNumber() && Double.isFinite(node.asDouble()) ? node.asDouble() : null;
  }

  private static Integer integer(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToInt() ? node.asInt() : null;
  }
}
