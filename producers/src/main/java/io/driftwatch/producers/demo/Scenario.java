package io.driftwatch.producers.demo;

import io.driftwatch.producers.text.SimpleTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Labelled kinds of generation the demo plays, so that every score has something to react to. The label
 * travels in the start event's attributes ({@code scenario}), which lets tests and dashboards compare
 * what a scorer said with what really happened.
 */
public enum Scenario {
  /** Continues the prompt's passage faithfully: locally and globally coherent. */
  STEADY,
  /** Starts in one book and, halfway, carries on in the other: fluent, but off the prompt's topic. */
  TOPIC_DRIFT,
  /** Starts faithfully, then falls into repeating one sentence: a degeneration loop. */
  REPETITION_LOOP;

  /** The scenario's label as it appears in attributes and docs (steady, topic-drift, repetition-loop). */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A prompt and the tokens of its completion, drawn from the corpus with the given randomness. */
  public Script script(DemoCorpus corpus, Random random, int tokens) {
    List<DemoCorpus.Book> books = corpus.books();
    DemoCorpus.Book home = books.get(random.nextInt(books.size()));
    DemoCorpus.Book away = books.get((books.indexOf(home) + 1) % books.size());
    int start = random.nextInt(home.paragraphs().size());
    String prompt = firstSentence(home.paragraphs().get(start));

    List<String> homeTokens = tokensFrom(home, start, tokens, prompt.length());
    List<String> out = switch (this) {
      case STEADY -> homeTokens;
      case TOPIC_DRIFT -> {
        List<String> drift = new ArrayList<>(homeTokens.subList(0, tokens / 2));
        drift.addAll(tokensFrom(away, random.nextInt(away.paragraphs().size()), tokens - tokens / 2, 0));
        yield drift;
      }
      case REPETITION_LOOP -> {
        List<String> loop = new ArrayList<>(homeTokens.subList(0, tokens / 3));
        List<String> sentence = SimpleTokenizer.tokenize(" " + firstSentence(home.paragraphs().get((start + 1) % home.paragraphs().size())));
        while (loop.size() < tokens) {
          loop.addAll(sentence.subList(0, Math.min(sentence.size(), tokens - loop.size())));
        }
        yield loop;
      }
    };
    return new Script(this, home.name(), prompt, List.copyOf(out));
  }

  /** What one demo generation will say. */
  public record Script(Scenario scenario, String source, String prompt, List<String> tokens) {}

  /** Tokens of a book from a paragraph on, skipping the first {@code skipChars} (the prompt). */
  private static List<String> tokensFrom(DemoCorpus.Book book, int paragraph, int count, int skipChars) {
    List<String> out = new ArrayList<>(count);
    int p = paragraph;
    String text = book.paragraphs().get(p).substring(skipChars);
    while (out.size() < count) {
      for (String token : SimpleTokenizer.tokenize(text)) {
        if (out.size() == count) {
          break;
        }
        out.add(token);
      }
      p = (p + 1) % book.paragraphs().size();
      text = "\n\n" + book.paragraphs().get(p);
    }
    return out;
  }

  private static String firstSentence(String paragraph) {
    int end = -1;
    for (int i = 0; i < paragraph.length() && end < 0; i++) {
      char c = paragraph.charAt(i);
      if ((c == '.' || c == '?' || c == '!') && (i + 1 == paragraph.length() || paragraph.charAt(i + 1) == ' ') && i > 20) {
        end = i + 1;
      }
    }
    return end < 0 ? paragraph : paragraph.substring(0, end);
  }
}
