package io.driftwatch.producers.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into model-like tokens when the real tokenizer is unknown: each token is a word (letters
 * and digits, with inner apostrophes and hyphens) or a single punctuation mark, carrying the whitespace
 * that precedes it, as BPE tokenizers do (" the", " cat", ","). Concatenating the tokens gives back the
 * input with runs of whitespace kept as they were; trailing whitespace becomes its own token.
 */
public final class SimpleTokenizer {

  private static final Pattern TOKEN =
      Pattern.compile("\\s*(?:[\\p{L}\\p{N}]+(?:['’\\-][\\p{L}\\p{N}]+)*|[^\\s\\p{L}\\p{N}])|\\s+$");

  private SimpleTokenizer() {}

  public static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      if (!m.group().isEmpty()) {
        tokens.add(m.group());
      }
    }
    return tokens;
  }
}
