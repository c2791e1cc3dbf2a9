package io.driftwatch.producers.tap;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a streamed completion (server-sent events of {@code chat.completion.chunk} or text-completion
 * chunks) from the relayed bytes and publishes each choice's tokens as they arrive.
 *
 * <p>Each content delta becomes a token event (with its logprob when the request asked for logprobs);
 * a choice's {@code finish_reason} ends its generation. A stream that stops without {@code [DONE]},
 * or breaks off, ends the choices still open with {@code disconnected}. An event that is not valid JSON
 * is counted and skipped; the next one is read as usual.
 */
final class StreamingResponseParser implements BodyObserver {

  static final String DISCONNECTED = "disconnected";

  private static final Logger log = LoggerFactory.getLogger(StreamingResponseParser.class);

  private final GenerationRecorder recorder;
  private final TapMetrics metrics;
  private final Endpoint endpoint;
  private final SseParser sse;
  private boolean done;
  private boolean sawError;

  StreamingResponseParser(GenerationRecorder recorder, TapMetrics metrics, Endpoint endpoint) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.endpoint = endpoint;
    this.sse = new SseParser(this::event, () -> error("sse_event_too_large", null));
  }

  @Override
  public void bytes(byte[] buffer, int offset, int length) {
    sse.feed(buffer, offset, length);
  }

  @Override
  public void complete() {
    sse.finish();
    // [DONE] without a finish_reason for some choice: the server closed it without saying why.
    recorder.closeOpen(done ? (sawError ? "error" : "unknown") : DISCONNECTED);
  }

  @Override
  public void broken() {
    sse.finish();
    recorder.closeOpen(DISCONNECTED);
  }

  private void event(SseParser.Event event) {
    String data = event.data();
    if (data.equals("[DONE]")) {
      done = true;
      return;
    }
    if (done || data.isBlank()) {
      return;
    }
    JsonNode chunk;
    try {
      chunk = OpenAiJson.read(data);
    } catch (IOException e) {
      error("chunk_json", e);
      return;
    }
    if (!chunk.isObject()) {
      error("chunk_shape", null);
      return;
    }
    if (chunk.has("error")) {
      // Some servers (vLLM, proxies) report a failure mid-stream as an event; the choices end with "error".
      sawError = true;
      recorder.closeOpen("error");
      return;
    }
    recorder.response(Logprobs.text(chunk.get("id")), Logprobs.text(chunk.get("model")));
    JsonNode choices = chunk.get("choices");
    if (choices == null || !choices.isArray()) {
      return; // e.g. the usage chunk of stream_options.include_usage has an empty array; others have none
    }
    for (JsonNode choice : choices) {
      choice(choice);
    }
  }

  private void choice(JsonNode choice) {
    JsonNode index = choice.get("index");
    if (index == null || !index.canConvertToInt()) {
      error("chunk_shape", null);
      return;
    }
    int i = index.asInt();
    if (endpoint == Endpoint.CHAT) {
      JsonNode delta = choice.path("delta");
      recorder.tokens(i, Logprobs.forDelta(Logprobs.text(delta.get("content")), Logprobs.chat(choice.get("logprobs"))));
    } else {
      recorder.tokens(i, Logprobs.forDelta(Logprobs.text(choice.get("text")), Logprobs.completion(choice.get("logprobs"))));
    }
    String finish = Logprobs.text(choice.get("finish_reason"));
    if (finish != null) {
      recorder.finish(i, finish);
    }
  }

  private void error(String reason, Exception e) {
    metrics.parseError(reason);
    // The type and position only: Jackson's messages quote the input, which may be anything.
    log.debug("skipped an unreadable event of a streamed response ({}{})", reason, e == null ? "" : ", " + e.getClass().getSimpleName());
  }
}
