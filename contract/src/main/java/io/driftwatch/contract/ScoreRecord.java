package io.driftwatch.contract;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A record on the scores topic: the scores of one generation at a sentence boundary, or its summary.
 *
 * <p>{@code kind} is {@link #SENTENCE} for the rolling values emitted as each sentence completes, and
 * {@link #SUMMARY} for the one record that closes the generation, which carries the
 * {@code closeReason} ({@code end:<finish_reason>}, {@code idle} or {@code eof}). Scores are documented
 * in {@link Score} and {@code docs/scores.md}; a score that is undefined at that point is left out.
 *
 * <p>Everything here depends only on the generation's events (content and event time), never on the
 * wall clock, so replaying the same input gives byte-identical records. The time the monitor emitted
 * a record travels in the Kafka header {@code driftwatch.processing_time}.
 *
 * @param sentence index of the sentence just completed (sentence records), null on summaries
 * @param sentences sentences completed so far
 * @param flags irregularities of the input that the scores tolerate: {@code implicit_start},
 *     {@code late_start}, {@code seq_gap}
 */
public record ScoreRecord(
    Integer v,
    String generationId,
    String runId,
    String model,
    String kind,
    Integer sentence,
    int sentences,
    long firstSeq,
    long lastSeq,
    long tokens,
    Map<String, Double> scores,
    List<String> flags,
    Instant eventTime,
    String closeReason) {

  public static final String SENTENCE = "sentence";
  public static final String SUMMARY = "summary";
  /**
   * Flag of every record of a generation scored without semantic scores because the model could not
   * keep up when it started (load shedding, docs/events.md).
   */
  public static final String SEMANTIC_SHED = "semantic_shed";
  /** Flag of a sentence (and its generation's summary) whose embedding the model failed to compute. */
  public static final String SEMANTIC_UNAVAILABLE = "semantic_unavailable";

  public ScoreRecord {
    // Sorted keys: the JSON is the same whatever order the scorers filled the map in.
    scores = Collections.unmodifiableSortedMap(new TreeMap<>(scores));
    flags = flags == null ? List.of() : List.copyOf(flags);
  }
}
