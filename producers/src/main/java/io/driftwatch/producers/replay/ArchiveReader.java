package io.driftwatch.producers.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.InvalidEventException;
import io.driftwatch.producers.text.TokenSplitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads archived generations in any {@link ArchiveFormat} and hands them to a {@link Visitor}: events
 * as they are, rows and captured streams as {@link ArchivedGeneration}s, and every row it cannot use as
 * a {@link BadRow} with its line, so nothing is dropped silently.
 */
public final class ArchiveReader {

  /** What the reader finds, in file order. */
  public interface Visitor {
    /** A Driftwatch event from an events archive, valid per the contract. */
    void event(GenerationEvent event);

    void generation(ArchivedGeneration generation);

    void bad(BadRow row);
  }

  /** Reads one element of an array at a time: the rest of the array is not a "trailing token". */
  private static final com.fasterxml.jackson.databind.ObjectReader ROW_READER =
      EventCodec.MAPPER.reader().without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final RowFields fields;
  private final TokenSplitter splitter;

  public ArchiveReader(RowFields fields, TokenSplitter splitter) {
    this.fields = fields;
    this.splitter = splitter;
  }

  /** Reads one archive; {@code name} names it in sources and bad rows. The stream is read to its end. */
  public void read(String name, InputStream in, ArchiveFormat format, Visitor visitor) throws IOException {
    switch (format) {
      case EVENTS -> readEvents(name, in, visitor);
      case ROWS_JSONL -> readRowLines(name, in, visitor);
      case ROWS_JSON_ARRAY -> readRowArray(name, in, visitor);
      case OPENAI_SSE -> new SseArchive(name, visitor).read(in);
    }
  }

  private static BufferedReader lines(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /** Takes one non-blank line of a line-per-record archive, with its number from 1. */
  @FunctionalInterface
  private interface LineHandler {
    void line(long number, String line);
  }

  private static void forEachLine(InputStream in, LineHandler handler) throws IOException {
    BufferedReader reader = lines(in);
    long lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (!line.isBlank()) {
        handler.line(lineNumber, line);
      }
    }
  }

  private void readEvents(String name, InputStream in, Visitor visitor) throws IOException {
    forEachLine(in, (lineNumber, line) -> {
      try {
        visitor.event(EventCodec.decode(line.getBytes(StandardCharsets.UTF_8)));
      } catch (InvalidEventException e) {
        visitor.bad(new BadRow(name, lineNumber, e.rule() + ": " + e.detail()));
      }
    });
  }

  private void readRowLines(String name, InputStream in, Visitor visitor) throws IOException {
    forEachLine(in, (lineNumber, line) -> {
      JsonNode row;
      try {
        row = EventCodec.MAPPER.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        visitor.bad(new BadRow(name, lineNumber, "not JSON: " + e.getOriginalMessage()));
        return;
      }
      row(name, lineNumber, row, visitor);
    });
  }

  private void readRowArray(String name, InputStream in, Visitor visitor) throws IOException {
    try (JsonParser parser = EventCodec.MAPPER.getFactory().createParser(in)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        visitor.bad(new BadRow(name, parser.currentLocation().getLineNr(), "expected a JSON array of rows"));
        return;
      }
      for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY; token = parser.nextToken()) {
        long line = parser.currentLocation().getLineNr();
        JsonNode row = ROW_READER.readTree(parser);
        row(name, line, row, visitor);
      }
    } catch (IOException e) {
      visitor.bad(new BadRow(name, -1, "the JSON array breaks off: " + e.getMessage()));
    }
  }

  private void row(String name, long line, JsonNode row, Visitor visitor) {
    if (!row.isObject()) {
      visitor.bad(new BadRow(name, line, "a row must be a JSON object"));
      return;
    }
    JsonNode text = first(row, fields.text());
    if (text == null || !text.isTextual()) {
      visitor.bad(new BadRow(name, line, "no generated text: none of the fields " + fields.text() + " holds a string"));
      return;
    }
    JsonNode prompt = first(row, fields.prompt());
    JsonNode model = first(row, fields.model());
    Instant time;
    try {
      time = time(first(row, fields.time()));
    } catch (DateTimeParseException e) {
      visitor.bad(new BadRow(name, line, "unreadable time: " + e.getParsedString()));
      return;
    }
    visitor.generation(new ArchivedGeneration(name + ":" + line, prompt == null ? null : prompt.asText(),
        model == null || !model.isTextual() ? null : model.asText(), splitter.split(text.asText()), null, time, null));
  }

  private static JsonNode first(JsonNode row, List<String> names) {
    for (String name : names) {
      JsonNode value = row.get(name);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }

  /** Epoch seconds, epoch milliseconds (from 1e12 on), or ISO-8601. */
  static Instant time(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isNumber()) {
      double n = value.asDouble();
      return n >= 1e12 ? Instant.ofEpochMilli((long) n) : Instant.ofEpochMilli(Math.round(n * 1000));
    }
    return Instant.parse(value.asText());
  }

  /**
   * Captured OpenAI-compatible streams: "data: {chunk}" lines, "data: [DONE]" after each response.
   * Each choice of each response is one generation; it is complete at its response's [DONE] (or at the
   * end of the file, finish reason "disconnected", when the capture broke off).
   */
  private final class SseArchive {
    private final String name;
    private final Visitor visitor;
    private final Map<String, Partial> open = new LinkedHashMap<>();

    SseArchive(String name, Visitor visitor) {
      this.name = name;
      this.visitor = visitor;
    }

    void read(InputStream in) throws IOException {
      BufferedReader reader = lines(in);
      long lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (!line.startsWith("data:")) {
          continue; // event names, comments, blank separators
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
          completeAll(null);
          continue;
        }
        try {
          chunk(EventCodec.MAPPER.readTree(data), lineNumber);
        } catch (IOException e) {
          visitor.bad(new BadRow(name, lineNumber, "a data line that is not JSON"));
        }
      }
      completeAll("disconnected");
    }

    private void chunk(JsonNode chunk, long line) {
      JsonNode choices = chunk.path("choices");
      if (!choices.isArray()) {
        visitor.bad(new BadRow(name, line, "a chunk without choices"));
        return;
      }
      for (JsonNode choice : choices) {
        String key = chunk.path("id").asText("") + ":" + choice.path("index").asInt(0);
        Partial p = open.computeIfAbsent(key, k -> new Partial(name + ":" + line + "#" + choice.path("index").asInt(0),
            chunk.path("model").asText(null), chunk.has("created") ? Instant.ofEpochSecond(chunk.path("created").asLong()) : null));
        JsonNode logprobs = choice.path("logprobs");
        if (logprobs.path("content").isArray() && !logprobs.path("content").isEmpty()) {
          for (JsonNode t : logprobs.path("content")) { // chat: one entry per token
            p.add(t.path("token").asText(""), t.path("logprob").isNumber() ? t.path("logprob").asDouble() : null);
          }
        } else if (logprobs.path("tokens").isArray() && !logprobs.path("tokens").isEmpty()) {
          JsonNode values = logprobs.path("token_logprobs"); // completions: parallel arrays
          for (int i = 0; i < logprobs.path("tokens").size(); i++) {
            p.add(logprobs.path("tokens").get(i).asText(""), values.path(i).isNumber() ? values.path(i).asDouble() : null);
          }
        } else {
          String text = choice.path("delta").path("content").isTextual() ? choice.path("delta").path("content").asText()
              : choice.path("text").isTextual() ? choice.path("text").asText() : null;
          if (text != null && !text.isEmpty()) {
            p.add(text, null);
          }
        }
        if (choice.path("finish_reason").isTextual()) {
          p.finishReason = choice.path("finish_reason").asText();
        }
      }
    }

    private void completeAll(String fallbackReason) {
      for (Partial p : open.values()) {
        boolean withLogprobs = p.logprobs.stream().allMatch(v -> v != null) && !p.logprobs.isEmpty();
        visitor.generation(new ArchivedGeneration(p.source, null, p.model, p.tokens, withLogprobs ? p.logprobs : null, p.time,
            p.finishReason != null ? p.finishReason : fallbackReason));
      }
      open.clear();
    }
  }

  private static final class Partial {
    final String source;
    final String model;
    final Instant time;
    final List<String> tokens = new ArrayList<>();
    final List<Double> logprobs = new ArrayList<>();
    String finishReason;

    Partial(String source, String model, Instant time) {
      this.source = source;
      this.model = model;
      this.time = time;
    }

    void add(String token, Double logprob) {
      tokens.add(token);
      logprobs.add(logprob);
    }
  }
}
