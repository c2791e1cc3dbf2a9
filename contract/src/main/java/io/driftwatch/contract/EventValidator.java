package io.driftwatch.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules a single event must obey, each with a stable name. Rules about the order of events within a
 * generation (a token before its start, gaps in seq) need state and are checked by the consumers.
 *
 * <p>Every rule is listed in {@code docs/events.md}.
 */
public final class EventValidator {

  /** Longest accepted generation id, run id or model name, in characters. */
  public static final int MAX_ID_LENGTH = 256;

  /** Longest accepted token text, in characters: a token is a word piece, not a document. */
  public static final int MAX_TOKEN_CHARS = 65_536;

  /** Most tokens one chunk may carry. */
  public static final int MAX_CHUNK_TOKENS = 4096;

  private EventValidator() {}

  /** Every broken rule of the event, in a fixed order; empty when the event is valid. */
  public static List<Violation> validate(GenerationEvent event) {
    List<Violation> out = new ArrayList<>(0);
    if (event.v() == null) {
      out.add(new Violation("v.required", "the schema version field \"v\" is missing; this monitor reads v=" + GenerationEvent.SCHEMA_VERSION));
    } else if (event.v() != GenerationEvent.SCHEMA_VERSION) {
      out.add(new Violation("v.supported", "schema version " + event.v() + " is not supported; this monitor reads v=" + GenerationEvent.SCHEMA_VERSION));
    }
    requireId(out, "generation_id", event.generationId());
    if (event.eventTime() == null) {
      out.add(new Violation("event_time.required", "event_time is missing (an ISO-8601 instant such as 2026-01-01T00:00:00Z)"));
    }
    // Java 17: no pattern switch yet, so an instanceof chain over the sealed hierarchy.
    if (event instanceof GenerationEvent.Start s) {
      validateStart(out, s);
    } else if (event instanceof GenerationEvent.Token t) {
      validateToken(out, t);
    } else if (event instanceof GenerationEvent.Chunk c) {
      validateChunk(out, c);
    } else if (event instanceof GenerationEvent.End e
        && (e.finishReason() == null || e.finishReason().isBlank())) {
      out.add(new Violation("finish_reason.required", "an end event needs a finish_reason (stop, length, ...)"));
    }
    return out;
  }

  private static void validateStart(List<Violation> out, GenerationEvent.Start s) {
    requireId(out, "run_id", s.runId());
    requireId(out, "model", s.model());
    if (s.prompt() == null) {
      out.add(new Violation("prompt.required", "a start event needs a prompt (an empty string is allowed)"));
    }
    GenerationEvent.Sampling p = s.sampling();
    if (p != null) {
      if (p.temperature() != null && !(p.temperature() >= 0 && Double.isFinite(p.temperature()))) {
        out.add(new Violation("sampling.temperature.range", "temperature must be a finite number >= 0, got " + p.temperature()));
      }
      if (p.topP() != null && !(p.topP() > 0 && p.topP() <= 1)) {
        out.add(new Violation("sampling.top_p.range", "top_p must be in (0, 1], got " + p.topP()));
      }
      if (p.topK() != null && p.topK() < 0) {
        out.add(new Violation("sampling.top_k.range", "top_k must be >= 0, got " + p.topK()));
      }
      if (p.maxTokens() != null && p.maxTokens() <= 0) {
        out.add(new Violation("sampling.max_tokens.range", "max_tokens must be > 0, got " + p.maxTokens()));
      }
    }
  }

  private static void validateToken(List<Violation> out, GenerationEvent.Token t) {
    requireSeq(out, t.seq());
    if (t.text() == null) {
      out.add(new Violation("text.required", "a token event needs text (an empty string is allowed)"));
    } else if (t.text().length() > MAX_TOKEN_CHARS) {
      out.add(new Violation("text.length", "a token's text is at most " + MAX_TOKEN_CHARS + " characters, got " + t.text().length()));
    }
    checkLogprobs(out, -1, t.logprob(), t.topLogprobs());
  }

  private static void validateChunk(List<Violation> out, GenerationEvent.Chunk c) {
    requireSeq(out, c.seq());
    if (c.tokens() == null || c.tokens().isEmpty()) {
      out.add(new Violation("tokens.non_empty", "a chunk event needs a non-empty tokens array"));
      return;
    }
    if (c.tokens().size() > MAX_CHUNK_TOKENS) {
      out.add(new Violation("tokens.max", "a chunk carries at most " + MAX_CHUNK_TOKENS + " tokens, got " + c.tokens().size()));
    }
    for (int i = 0; i < c.tokens().size(); i++) {
      GenerationEvent.ChunkToken t = c.tokens().get(i);
      if (t == null) {
        out.add(new Violation("tokens.element", "tokens[" + i + "] is null"));
        continue;
      }
      if (t.text() == null) {
        out.add(new Violation("text.required", at(i) + "text is missing (an empty string is allowed)"));
      } else if (t.text().length() > MAX_TOKEN_CHARS) {
        out.add(new Violation("text.length", at(i) + "text is longer than " + MAX_TOKEN_CHARS + " characters"));
      }
      checkLogprobs(out, i, t.logprob(), t.topLogprobs());
      if (t.offsetNs() != null && t.offsetNs() < 0) {
        out.add(new Violation("offset_ns.non_negative", at(i) + "offset_ns must be >= 0, got " + t.offsetNs()));
      }
    }
  }

  /**
   * The prefix that places a violation in the chunk's {@code index}-th token, or none for a token event
   * (index -1); made only for a violation, since every valid chunk token passes through here.
   */
  private static String at(int index) {
    return index < 0 ? "" : "tokens[" + index + "].";
  }

  private static void checkLogprobs(List<Violation> out, int index, Double logprob, List<GenerationEvent.TopLogprob> top) {
    if (logprob != null && !isLogprob(logprob)) {
      out.add(new Violation("logprob.range", at(index) + "logprob must be a natural-log probability <= 0, got " + logprob));
    }
    if (top != null) {
      for (int i = 0; i < top.size(); i++) {
        GenerationEvent.TopLogprob alt = top.get(i);
        if (alt == null || alt.token() == null || alt.logprob() == null || !isLogprob(alt.logprob())) {
          out.add(new Violation("top_logprobs.entry", at(index) + "top_logprobs[" + i + "] needs a token and a logprob <= 0"));
        }
      }
    }
  }

  private static boolean isLogprob(double value) {
    return value <= 0 && !Double.isNaN(value);
  }

  private static void requireSeq(List<Violation> out, Long seq) {
    if (seq == null) {
      out.add(new Violation("seq.required", "seq (the token's position in the generation, from 0) is missing"));
    } else if (seq < 0) {
      out.add(new Violation("seq.non_negative", "seq must be >= 0, got " + seq));
    }
  }

  private static void requireId(List<Violation> out, String field, String value) {
    if (value == null || value.isBlank()) {
      out.add(new Violation(field + ".required", field + " is missing or blank"));
    } else if (value.length() > MAX_ID_LENGTH) {
      out.add(new Violation(field + ".length", field + " is longer than " + MAX_ID_LENGTH + " characters"));
    } else if (hasControlCharacter(value)) {
      // Stores key a generation's entries as <id> NUL <kind> ...: an id holding a NUL could read another's.
      out.add(new Violation(field + ".control", field + " contains a control character"));
    }
  }

  private static boolean hasControlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
