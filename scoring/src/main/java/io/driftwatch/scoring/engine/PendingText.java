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

  boolean isPrompt() {
    return record == null;
  }
}
