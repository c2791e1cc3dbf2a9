package io.driftwatch.producers.tap;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a non-streamed completion ({@code application/json}) once it has been relayed whole, and
 * publishes each choice as a generation: start, its tokens, end. The tokens are the model's own when
 * the response carries logprobs that spell out the text, otherwise the text split by
 * {@link io.driftwatch.producers.text.SimpleTokenizer}.
 *
 * <p>The copy it keeps is bounded: a body above {@code maxBytes} is relayed but not read. A body that
 * broke off is not read either; half a JSON document says nothing reliable.
 */
final class JsonResponseParser implements BodyObserver {

  /** Default bound on the copy: far above any completion, small enough to never matter for memory. */
  static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(JsonResponseParser.class);

  private final GenerationRecorder recorder;
  private final TapMetrics metrics;
  private final Endpoint endpoint;
  private final int maxBytes;
  private byte[] body = new byte[8192];
  private int length;
  private boolean tooLarge;

  JsonResponseParser(GenerationRecorder recorder, TapMetrics metrics, Endpoint endpoint, int maxBytes) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.endpoint = endpoint;
    this.maxBytes = maxBytes;
  }

  @Override
  public void bytes(byte[] buffer, int offset, int count) {
    if (tooLarge) {
      return;
    }
    if (length + count > maxBytes) {
      tooLarge = true;
      body = null;
      metrics.parseError("body_too_large");
      return;
    }
    if (length + count > body.length) {
      body = Arrays.copyOf(body, Math.min(maxBytes, Math.max(body.length * 2, length + count)));
    }
    System.arraycopy(buffer, offset, body, length, count);
    length += count;
  }

  @Override
  public void complete() {
    if (tooLarge) {
      return;
    }
    JsonNode response;
    try {
      response = OpenAiJson.read(body, 0, length);
    } catch (IOException e) {
      metrics.parseError("response_json");
      log.debug("could not read a completion response ({})", e.getClass().getSimpleName());
      return;
    }
    JsonNode choices = response.get("choices");
    if (!response.isObject() || choices == null || !choices.isArray()) {
      metrics.parseError("response_shape");
      return;
    }
    recorder.response(Logprobs.text(response.get("id")), Logprobs.text(response.get("model")));
    for (JsonNode choice : choices) {
      JsonNode index = choice.get("index");
      int i = index != null && index.canConvertToInt() ? index.asInt() : 0;
      if (endpoint == Endpoint.CHAT) {
        recorder.tokens(i, Logprobs.forText(Logprobs.text(choice.path("message").get("content")), Logprobs.chat(choice.get("logprobs"))));
      } else {
        recorder.tokens(i, Logprobs.forText(Logprobs.text(choice.get("text")), Logprobs.completion(choice.get("logprobs"))));
      }
      recorder.finish(i, Logprobs.text(choice.get("finish_reason")));
    }
  }

  @Override
  public void broken() {
    body = null;
  }
}
