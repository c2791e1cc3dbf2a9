package io.driftwatch.scoring.engine;

import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.Map;
import java.util.TreeMap;

/**
 * A text of a generation waiting for its embedding: the prompt (no record), or a completed sentence with
 * its score record as it stood when the sentence ended. Everything but the semantic scores is fixed at
 * that moment, so the record does not depend on when the embedding arrives.
 *
 * @param text what to embed
 * @param record the sentence's record without semantic scores; null for the prompt
 * @param opening whether the sentence is one of the first m (part of the anchor)
 */
public record PendingText(String text, ScoreRecord record, boolean opening) {

  /**
   * Longest text kept for embedding, in characters. The model reads at most 256 tokens, which English
   * text rarely spreads over more than about 1,500 characters; the cap keeps a huge prompt out of the
   * state store and its changelog. Cut at a fixed length, so replays embed the same text.
   */
  public static final int MAX_CHARS = 2000;

  public PendingText {
    if (text.length() > MAX_CHARS) {
      text = text.substring(0, MAX_CHARS);
    }
  }

  boolean isPrompt() {
    return record == null;
  }

  /** Writes the text, its record (every component) and whether it opens, in the order {@link #readFrom} reads them. */
  void writeTo(StateOutput out) {
    out.string(text);
    out.bool(record != null);
    if (record != null) {
      writeRecord(out, record);
    }
    out.bool(opening);
  }

  static PendingText readFrom(StateInput in) {
    String text = in.string();
    ScoreRecord record = in.bool() ? readRecord(in) : null;
    return new PendingText(text, record, in.bool());
  }

  private static void writeRecord(StateOutput out, ScoreRecord r) {
    out.nullableInt(r.v());
    out.string(r.generationId());
    out.string(r.runId());
    out.string(r.model());
    out.string(r.kind());
    out.nullableInt(r.sentence());
    out.signed(r.sentences());
    out.signed(r.firstSeq());
    out.signed(r.lastSeq());
    out.signed(r.tokens());
    out.varint(r.scores().size());
    for (Map.Entry<String, Double> score : r.scores().entrySet()) {
      out.string(score.getKey());
      out.float64(score.getValue());
    }
    out.strings(r.flags());
    out.instant(r.eventTime());
    out.string(r.closeReason());
  }

  private static ScoreRecord readRecord(StateInput in) {
    Integer v = in.nullableInt();
    String generationId = in.string();
    String runId = in.string();
    String model = in.string();
    String kind = in.string();
    Integer sentence = in.nullableInt();
    int sentences = in.signedInt();
    long firstSeq = in.signed();
    long lastSeq = in.signed();
    long tokens = in.signed();
    Map<String, Double> scores = new TreeMap<>();
    int n = in.count();
    for (int i = 0; i < n; i++) {
      scores.put(in.string(), in.float64());
    }
    return new ScoreRecord(v, generationId, runId, model, kind, sentence, sentences, firstSeq, lastSeq, tokens, scores,
        in.stringList(), in.instant(), in.string());
  }
}
