package io.driftwatch.scoring.text;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Cuts a token stream into sentences as the tokens arrive.
 *
 * <p>A sentence ends at terminal punctuation (. ! ? and closing quotes or brackets after it) when the
 * next token starts with whitespace; at a paragraph break (a blank line); or, so that run-on text still
 * yields units, after {@code maxTokens} tokens or {@value #MAX_SENTENCE_CHARS} characters. Waiting for
 * the next token's leading space keeps "3.5" and "Mr. Darcy" whole; known abbreviations never end a
 * sentence. The state is the current sentence's text (at most {@value #MAX_SENTENCE_CHARS} characters)
 * and bounds, so it is small and serialisable.
 */
public final class SentenceSegmenter {

  private static final Set<String> ABBREVIATIONS = Set.of(
      "mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "vs", "etc", "e.g", "i.e", "no", "vol", "fig", "gen", "col",
      "capt", "lt", "rev", "hon", "messrs", "mme", "mlle");

  /**
   * Longest sentence text, in characters: a sentence is cut once its text reaches this length, and a
   * single token longer than that (the contract allows 65,536 characters) is cut to it. Prose sentences
   * are far shorter (64 tokens rarely reach 500 characters); the cap bounds the generation's state and
   * everything derived from a sentence. The same as {@code PendingText.MAX_CHARS}, what is embedded.
   */
  public static final int MAX_SENTENCE_CHARS = 2000;

  private String text = "";
  private long firstSeq = -1;
  private long lastSeq = -1;
  private int tokens;
  private int nextIndex;
  private Instant lastEventTime;

  /** Writes the sentence being cut and the count so far, in the order {@link #readFrom} reads them. */
  public void writeTo(StateOutput out) {
    out.string(text);
    out.signed(firstSeq);
    out.signed(lastSeq);
    out.signed(tokens);
    out.signed(nextIndex);
    out.instant(lastEventTime);
  }

  /** A segmenter in the state that {@link #writeTo} wrote. */
  public static SentenceSegmenter readFrom(StateInput in) {
    SentenceSegmenter s = new SentenceSegmenter();
    s.text = in.string();
    s.firstSeq = in.signed();
    s.lastSeq = in.signed();
    s.tokens = in.signedInt();
    s.nextIndex = in.signedInt();
    s.lastEventTime = in.instant();
    return s;
  }

  /** Sentences cut so far. */
  public int sentences() {
    return nextIndex;
  }

  /**
   * Adds a token; returns the sentence that the token closed, if any. When the token starts a new
   * sentence (it follows a sentence end), the closed sentence does not include it.
   */
  public Optional<Sentence> accept(long seq, String token, Instant eventTime, int maxTokens) {
    Sentence closed = null;
    if (tokens > 0) {
      if (text.length() >= MAX_SENTENCE_CHARS) {
        // Only after a sentence ended and a giant token opened the next one in the same step.
        closed = cut(Sentence.FORCED);
      } else if (startsParagraph(token)) {
        closed = cut(Sentence.PARAGRAPH);
      } else if (startsWithSpace(token) && endsSentence()) {
        closed = cut(Sentence.END);
      }
    }
    if (tokens == 0) {
      firstSeq = seq;
    }
    text = text.length() + token.length() <= MAX_SENTENCE_CHARS ? text + token
        : Words.cut(text + Words.cut(token, MAX_SENTENCE_CHARS), MAX_SENTENCE_CHARS);
    lastSeq = seq;
    lastEventTime = eventTime;
    tokens++;
    if (closed == null && (tokens >= maxTokens || text.length() >= MAX_SENTENCE_CHARS)) {
      closed = cut(Sentence.FORCED);
    }
    return Optional.ofNullable(closed);
  }

  /** Cuts whatever is pending as the last sentence of the generation. */
  public Optional<Sentence> flush() {
    if (tokens == 0 || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(cut(Sentence.FINAL));
  }

  private Sentence cut(String reason) {
    Sentence s = new Sentence(nextIndex++, firstSeq, lastSeq, text.strip(), reason, lastEventTime);
    text = "";
    tokens = 0;
    firstSeq = -1;
    return s;
  }

  private boolean endsSentence() {
    int i = text.length() - 1;
    while (i >= 0 && isCloser(text.charAt(i))) {
      i--;
    }
    if (i < 0) {
      return false;
    }
    char c = text.charAt(i);
    if (c == '!' || c == '?') {
      return true;
    }
    if (c != '.') {
      return false;
    }
    // The word before the period: an abbreviation or a single initial ("J. Smith") does not end a sentence.
    int end = i;
    int start = end;
    while (start > 0 && !Character.isWhitespace(text.charAt(start - 1)) && !isOpener(text.charAt(start - 1))) {
      start--;
    }
    String word = text.substring(start, end).toLowerCase(Locale.ROOT);
    if (ABBREVIATIONS.contains(word)) {
      return false;
    }
    return !(word.length() == 1 && Character.isLetter(word.charAt(0)) && Character.isUpperCase(text.charAt(start)));
  }

  private static boolean isCloser(char c) {
    return c == '"' || c == '\'' || c == '”' || c == '’' || c == ')' || c == ']' || c == '»';
  }

  private static boolean isOpener(char c) {
    return c == '"' || c == '“' || c == '(' || c == '[' || c == '‘' || c == '«';
  }

  private static boolean startsWithSpace(String token) {
    return !token.isEmpty() && Character.isWhitespace(token.charAt(0));
  }

  private static boolean startsParagraph(String token) {
    int newlines = 0;
    for (int i = 0; i < token.length() && Character.isWhitespace(token.charAt(i)); i++) {
      if (token.charAt(i) == '\n') {
        newlines++;
      }
    }
    return newlines >= 2;
  }
}
