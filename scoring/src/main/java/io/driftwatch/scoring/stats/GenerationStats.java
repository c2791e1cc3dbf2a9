package io.driftwatch.scoring.stats;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Simple per-generation figures: tokens seen, tokens per second (by event time) and a rolling repetition
 * rate. A pure function from (state, event) to (new state, score records), with no Kafka in sight, so the
 * streams processor and an offline command give the same output for the same input.
 *
 * <p>This is the foundation's scorer; the scoring engine adds coherence and drift scores beside it.
 */
public final class GenerationStats {

  /** Close reason of a generation that went quiet before its end event. */
  public static final String IDLE = "idle";

  private final StatsSettings settings;

  public GenerationStats(StatsSettings settings) {
    this.settings = settings;
  }

  /**
   * The result of one step.
   *
   * @param state the state to keep, or null when the generation is closed and its state can be dropped
   * @param emitted score records to publish, in order
   */
  public record Step(GenerationState state, List<ScoreRecord> emitted) {}

  /**
   * Applies one event to a generation's state.
   *
   * @param state the state so far, or null for a generation not seen before
   * @param now processing time, stamped on emitted records
   */
  public Step apply(GenerationState state, GenerationEvent event, Instant now) {
    GenerationState s = state != null ? state : GenerationState.open(event.generationId());
    if (event instanceof GenerationEvent.Start start) {
      return new Step(withStart(s, start), List.of());
    }
    if (event instanceof GenerationEvent.End end) {
      return new Step(null, List.of(summary(s, "end:" + end.finishReason(), now)));
    }
    List<GenerationEvent.Token> tokens = event instanceof GenerationEvent.Chunk chunk
        ? chunk.expand()
        : List.of((GenerationEvent.Token) event);
    List<ScoreRecord> emitted = new ArrayList<>(1);
    for (GenerationEvent.Token token : tokens) {
      s = withToken(s, token);
      if (s.sinceEmit() >= settings.emitEvery()) {
        emitted.add(record(s, ScoreRecord.WINDOW, null, now));
        s = withSinceEmit(s, 0);
      }
    }
    return new Step(s, emitted);
  }

  /** Closes a generation that received nothing for too long. */
  public ScoreRecord closeIdle(GenerationState state, Instant now) {
    return summary(state, IDLE, now);
  }

  private ScoreRecord summary(GenerationState s, String reason, Instant now) {
    return record(s, ScoreRecord.SUMMARY, reason, now);
  }

  private ScoreRecord record(GenerationState s, String kind, String closeReason, Instant now) {
    Map<String, Double> scores = new LinkedHashMap<>();
    double rate = tokensPerSecond(s);
    if (!Double.isNaN(rate)) {
      scores.put("tokens_per_second", rate);
    }
    double repetition = RepetitionRate.of(s.window(), settings.ngram());
    if (!Double.isNaN(repetition)) {
      scores.put("repetition_rate", repetition);
    }
    return new ScoreRecord(GenerationEvent.SCHEMA_VERSION, s.generationId(), s.runId(), s.model(), kind,
        Math.max(s.firstSeq(), 0), s.lastSeq(), s.tokens(), scores, s.lastEventTime(), now, closeReason);
  }

  /** Tokens after the first one per second of event time; NaN until two tokens are apart in time. */
  static double tokensPerSecond(GenerationState s) {
    if (s.tokens() < 2 || s.firstEventTime() == null) {
      return Double.NaN;
    }
    long nanos = Duration.between(s.firstEventTime(), s.lastEventTime()).toNanos();
    return nanos <= 0 ? Double.NaN : (s.tokens() - 1) * 1e9 / nanos;
  }

  private static GenerationState withStart(GenerationState s, GenerationEvent.Start start) {
    return new GenerationState(s.generationId(), start.runId(), start.model(), s.firstSeq(), s.lastSeq(), s.tokens(),
        s.duplicates(), s.gaps(), s.sinceEmit(), s.firstEventTime(), s.lastEventTime(), s.window());
  }

  private GenerationState withToken(GenerationState s, GenerationEvent.Token t) {
    long seq = t.seq();
    if (seq <= s.lastSeq()) {
      return new GenerationState(s.generationId(), s.runId(), s.model(), s.firstSeq(), s.lastSeq(), s.tokens(),
          s.duplicates() + 1, s.gaps(), s.sinceEmit(), s.firstEventTime(), s.lastEventTime(), s.window());
    }
    long gaps = s.gaps() + (seq > s.lastSeq() + 1 ? 1 : 0);
    List<String> window = slide(s.window(), normalise(t.text()));
    return new GenerationState(s.generationId(), s.runId(), s.model(), s.firstSeq() < 0 ? seq : s.firstSeq(), seq,
        s.tokens() + 1, s.duplicates(), gaps, s.sinceEmit() + 1,
        s.firstEventTime() == null ? t.eventTime() : s.firstEventTime(), t.eventTime(), window);
  }

  private List<String> slide(List<String> window, String token) {
    int keep = Math.min(window.size(), settings.window() - 1);
    List<String> next = new ArrayList<>(keep + 1);
    next.addAll(window.subList(window.size() - keep, window.size()));
    next.add(token);
    return next;
  }

  private static GenerationState withSinceEmit(GenerationState s, int sinceEmit) {
    return new GenerationState(s.generationId(), s.runId(), s.model(), s.firstSeq(), s.lastSeq(), s.tokens(),
        s.duplicates(), s.gaps(), sinceEmit, s.firstEventTime(), s.lastEventTime(), s.window());
  }

  /** Case and surrounding whitespace do not make a token different ("The" and " the" repeat each other). */
  static String normalise(String text) {
    return text.strip().toLowerCase(Locale.ROOT);
  }
}
