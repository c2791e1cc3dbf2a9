package io.driftwatch.scoring.engine;

import io.driftwatch.contract.ScoreRecord;

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
}
