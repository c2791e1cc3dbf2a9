package io.driftwatch.producers.replay;

import java.nio.charset.StandardCharsets;

/** The shapes of archive Driftwatch replays, and how to tell them apart from a file's first bytes. */
public enum ArchiveFormat {
  /** Driftwatch's own events, one JSON object per line (as on the tokens topic). */
  EVENTS,
  /** One JSON object per line with a prompt and a generated text. */
  ROWS_JSONL,
  /** One JSON array of such objects. */
  ROWS_JSON_ARRAY,
  /** Captured server-sent events of OpenAI-compatible streaming responses ("data: {...}" lines). */
  OPENAI_SSE;

  /** Guesses the format from the start of a file (after gzip is undone). */
  public static ArchiveFormat detect(byte[] head) {
    String start = new String(head, StandardCharsets.UTF_8).stripLeading();
    if (start.startsWith("[")) {
      return ROWS_JSON_ARRAY;
    }
    if (start.startsWith("data:") || start.startsWith("event:") || start.startsWith(":")) {
      return OPENAI_SSE;
    }
    String firstLine = start.lines().findFirst().orElse("");
    if (firstLine.contains("\"generation_id\"") && firstLine.contains("\"type\"")) {
      return EVENTS;
    }
    return ROWS_JSONL;
  }
}
