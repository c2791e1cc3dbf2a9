package io.driftwatch.contract.fuzz;

import io.driftwatch.contract.EventValidator;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.GenerationEvent.Chunk;
import io.driftwatch.contract.GenerationEvent.ChunkToken;
import io.driftwatch.contract.GenerationEvent.End;
import io.driftwatch.contract.GenerationEvent.Sampling;
import io.driftwatch.contract.GenerationEvent.Start;
import io.driftwatch.contract.GenerationEvent.Token;
import io.driftwatch.contract.GenerationEvent.TopLogprob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random <em>valid</em> generation events from a seeded {@link Random}, for the fuzz tests of the decoder,
 * the engine and the topology: ordinary prose most of the time, and every odd but legal value the
 * contract allows (docs/events.md) some of the time: empty and giant tokens, unicode oddities (combining
 * marks, zero-width joiners, right-to-left text, lone surrogates, NUL), extreme numbers and times.
 * Everything it returns passes {@link EventValidator}; the same seed gives the same events.
 */
public final class FuzzEvents {

  public static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

  private static final String[] WORDS = {
      "the", "old", "house", "stood", "on", "hill", "above", "quiet", "village", "Elizabeth", "Darcy", "she", "he",
      "they", "whales", "swim", "in", "cold", "northern", "waters", "and", "river", "ran", "past", "window", "Mr.",
      "Mrs.", "Bennet", "said", "was", "3.5", "e.g.", "garden", "rain", "stopped", "again", "sorry", "I", "cannot",
      "help", "with", "that", "request", "Cape", "Cod", "sand", "light", "it"};

  /** Strings that have broken text code before: each is a legal token text. */
  private static final String[] ODD = {
      "", " ", "\n\n", "\n\nThe", ".", " .", "!\"", "?)", "”", " “Well", "e\u0301", " cafe\u0301", "👩\u200D💻", " 😀😀",
      "\u200B", "\uFEFF", " שלום", " مرحبا", "\u202Eevil", "中文没有空格的句子。", " 日本語", "\u0000", "\u0007bell", "\t", "\r\n",
      "\uD800", "\uDC00x", "x\uD83D", "\uFFFF", "\\", "\"", " Mr.", " J.", " 3.5", " ...", "'s", "’s", " ĳ", " ß", " İ",
      "\u0301\u0301\u0301", " ﬁne", "\u00A0", " ZALGO\u0336\u0337\u0338"};

  private FuzzEvents() {}

  /** A token's text: usually a word with its leading space, sometimes odd, rarely huge. */
  public static String text(Random r) {
    int pick = r.nextInt(100);
    if (pick < 70) {
      String word = WORDS[r.nextInt(WORDS.length)];
      String text = (r.nextInt(8) == 0 ? "" : " ") + word;
      return r.nextInt(10) == 0 ? text + ".": text;
    }
    if (pick < 95) {
      return ODD[r.nextInt(ODD.length)];
    }
    if (pick < 99) {
      return randomString(r, 1 + r.nextInt(300));
    }
    return giant(r);
  }

  /** A token at or near the longest the contract accepts. */
  public static String giant(Random r) {
    int length = EventValidator.MAX_TOKEN_CHARS - r.nextInt(3);
    StringBuilder b = new StringBuilder(length);
    String unit = r.nextBoolean() ? "verylongword" : "word ";
    while (b.length() < length) {
      b.append(unit);
    }
    b.setLength(length);
    if (Character.isHighSurrogate(b.charAt(length - 1))) {
      b.setCharAt(length - 1, 'x');
    }
    return b.toString();
  }

  /** Random UTF-16 code units, surrogates and control characters included. */
  public static String randomString(Random r, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = r.nextInt(10);
      if (kind < 5) {
        b.append((char) (' ' + r.nextInt(95)));
      } else if (kind < 7) {
        b.append((char) r.nextInt(0x80));
      } else if (kind < 9) {
        b.append((char) r.nextInt(0x10000));
      } else {
        b.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
      }
    }
    return b.toString();
  }

  /**
   * The text with lone surrogates replaced. For attribute keys only: Jackson (2.21) reads a lone
   * surrogate in a string value, but its byte parser rejects one in a field name, so such a key, legal
   * as far as the validator goes, makes the record {@code json.malformed} (dead-lettered, not lost).
   * So does a key longer than Jackson's 50,000-character limit on names, hence the generator's cut.
   */
  static String withoutLoneSurrogates(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        b.append(c).append(text.charAt(++i));
      } else {
        b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  /** A generation id: mostly plain, sometimes unicode, at most {@value EventValidator#MAX_ID_LENGTH} characters. */
  public static String id(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> "g-ü-" + r.nextInt(1000) + "-😀";
      case 1 -> "x".repeat(EventValidator.MAX_ID_LENGTH - 5) + r.nextInt(10000);
      case 2 -> " g " + r.nextInt(1000) + " ";
      default -> "g-" + Long.toHexString(r.nextLong());
    };
  }

  public static Instant time(Random r, Instant base, int step) {
    return switch (r.nextInt(200)) {
      case 0 -> Instant.EPOCH;
      case 1 -> Instant.parse("0001-01-01T00:00:00Z");
      case 2 -> Instant.parse("9999-12-31T23:59:59.999999999Z");
      case 3 -> base.minusSeconds(3600);
      default -> base.plusMillis(25L * step + r.nextInt(3));
    };
  }

  public static Start start(Random r, String id, Instant at) {
    Sampling sampling = r.nextBoolean() ? null : new Sampling(
        r.nextBoolean() ? null : r.nextDouble() * 2,
        r.nextBoolean() ? null : Math.max(Double.MIN_VALUE, r.nextDouble()),
        r.nextBoolean() ? null : r.nextInt(Integer.MAX_VALUE),
        r.nextBoolean() ? null : 1 + r.nextInt(Integer.MAX_VALUE - 1),
        r.nextBoolean() ? null : r.nextLong());
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      String key = withoutLoneSurrogates(text(r));
      attributes.put(key.length() > 1000 ? key.substring(0, 1000) : key, text(r));
    }
    return new Start(1, id, r.nextInt(20) == 0 ? randomString(r, 1 + r.nextInt(40)).replaceAll("\\p{Cntrl}", "").strip() + "r" : "run-" + r.nextInt(5),
        r.nextInt(20) == 0 ? "m😀" : "model-" + r.nextInt(3), prompt(r), sampling, attributes, at);
  }

  /** A prompt: empty, a sentence or two, or (rarely) thousands of distinct words. */
  public static String prompt(Random r) {
    int pick = r.nextInt(60);
    if (pick < 3) {
      return "";
    }
    if (pick == 3) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 3000; i++) {
        b.append(" Word").append(Integer.toString(i, 36)).append(i % 7 == 0 ? "." : "");
      }
      return b.toString();
    }
    StringBuilder b = new StringBuilder("Tell me about");
    for (int i = r.nextInt(12); i > 0; i--) {
      b.append(text(r));
    }
    return b.append('.').toString();
  }

  public static Token token(Random r, String id, long seq, Instant at) {
    return new Token(1, id, seq, text(r), r.nextInt(4) == 0 ? r.nextInt() : null, logprob(r), topLogprobs(r), at);
  }

  public static Chunk chunk(Random r, String id, long seq, int size, Instant at) {
    List<ChunkToken> tokens = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      tokens.add(new ChunkToken(text(r), r.nextInt(4) == 0 ? r.nextInt() : null, logprob(r), topLogprobs(r)));
    }
    return new Chunk(1, id, seq, tokens, at);
  }

  public static End end(Random r, String id, Instant at) {
    String[] reasons = {"stop", "length", "content_filter", "tool_calls", "cancelled", "stop 😀"};
    return new End(1, id, reasons[r.nextInt(reasons.length)], at);
  }

  /** A logprob: absent, ordinary, or an extreme legal value (−0, −∞, the most negative double). */
  public static Double logprob(Random r) {
    return switch (r.nextInt(40)) {
      case 0 -> -0.0;
      case 1 -> Double.NEGATIVE_INFINITY;
      case 2 -> -Double.MAX_VALUE;
      case 3 -> -Double.MIN_VALUE;
      case 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 -> null;
      default -> -r.nextDouble() * 12;
    };
  }

  private static List<TopLogprob> topLogprobs(Random r) {
    if (r.nextInt(6) != 0) {
      return null;
    }
    List<TopLogprob> out = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      Double lp = logprob(r);
      out.add(new TopLogprob(text(r), lp == null ? -1.0 : lp));
    }
    return out;
  }

  /** Any single valid event, of any type, with any legal field values. */
  public static GenerationEvent any(Random r) {
    String id = id(r);
    Instant at = time(r, T0, r.nextInt(1000));
    long seq = switch (r.nextInt(20)) {
      case 0 -> 0;
      case 1 -> Long.MAX_VALUE - EventValidator.MAX_CHUNK_TOKENS;
      case 2 -> Integer.MAX_VALUE + 1L;
      default -> r.nextInt(10_000);
    };
    return switch (r.nextInt(4)) {
      case 0 -> start(r, id, at);
      case 1 -> token(r, id, seq, at);
      case 2 -> chunk(r, id, seq, r.nextInt(50) == 0 ? EventValidator.MAX_CHUNK_TOKENS : 1 + r.nextInt(8), at);
      default -> end(r, id, at);
    };
  }
}
