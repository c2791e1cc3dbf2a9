package io.driftwatch.scoring.text;

import java.time.Instant;

/**
 * A unit of text cut from a token stream.
 *
 * @param index position of the sentence in its generation, from 0
 * @param firstSeq sequence number of its first token
 * @param lastSeq sequence number of its last token
 * @param text the sentence's text, tokens concatenated
 * @param cut why the sentence ended: {@code end} (terminal punctuation), {@code paragraph}, {@code forced}
 *     (too many tokens without an end) or {@code final} (the generation ended)
 * @param lastEventTime event time of its last token
 */
public record Sentence(int index, long firstSeq, long lastSeq, String text, String cut, Instant lastEventTime) {

  public static final String END = "end";
  public static final String PARAGRAPH = "paragraph";
  public static final String FORCED = "forced";
  public static final String FINAL = "final";
}
