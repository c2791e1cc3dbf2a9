package io.driftwatch.producers.tap;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ids the tap gives a response's generations: the response's {@code id} and the choice index, as
 * the client sees them, unless that id cannot be trusted to be unique. Ollama, for one, numbers its
 * responses {@code chatcmpl-0} to {@code chatcmpl-998}, so among a few dozen generations two share an
 * id; the monitor would read the second as events arriving after the first one's end (it remembers
 * closed ids for an hour) and dead-letter them, and a guard alert about one would stop the other.
 * An id with fewer than {@link #MIN_RANDOM_CHARS} letters and digits after its prefix gets a random
 * suffix; a response with no id gets a random one.
 */
final class GenerationIds {

  /** Letters and digits after the prefix that make an id unique enough: OpenAI's have 29, vLLM's 32. */
  static final int MIN_RANDOM_CHARS = 16;

  private GenerationIds() {}

  /**
   * The base of the generation ids of a response whose id is {@code responseId} (null when it sent
   * none), at most {@code maxChars} long; each choice appends {@code :<index>}.
   */
  static String base(String responseId, int maxChars) {
    if (responseId == null) {
      return "tap-" + UUID.randomUUID();
    }
    if (looksUnique(responseId)) {
      return responseId.length() > maxChars ? responseId.substring(0, maxChars) : responseId;
    }
    String suffix = "~" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    String kept = responseId.length() + suffix.length() > maxChars ? responseId.substring(0, maxChars - suffix.length()) : responseId;
    return kept + suffix;
  }

  /**
   * Whether the id has enough letters and digits after its prefix to be unique. The prefix is a leading
   * word of letters ended by '-' or '_' ({@code chatcmpl-}, {@code cmpl-}); an id that starts with its
   * random part (a uuid, {@code 8a1b2c3d4e5f6789-IAD}) has none.
   */
  static boolean looksUnique(String responseId) {
    int start = 0;
    for (int i = 0; i < responseId.length(); i++) {
      char c = responseId.charAt(i);
      if (c == '-' || c == '_') {
        start = i > 0 ? i + 1 : 0;
        break;
      }
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        break; // not a word of letters: no prefix
      }
    }
    int random = 0;
    for (int i = start; i < responseId.length(); i++) {
      if (Character.isLetterOrDigit(responseId.charAt(i))) {
        random++;
      }
    }
    return random >= MIN_RANDOM_CHARS;
  }
}
