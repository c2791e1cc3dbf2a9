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
  /** Starts in one book and, halfway, carries on in an unrelated one: fluent, but off the prompt's topic. */
  TOPIC_DRIFT,
  /** Starts faithfully, then falls into repeating one sentence: a degeneration loop. */
  REPETITION_LOOP,
  /**
   * Continues the passage, but from halfway on every name is replaced by another one: locally fluent,
   * on topic, and no longer about the people it started with.
   */
  ENTITY_SWAP,
  /**
   * Continues the passage, but pastes about 60 words verbatim from the reference book (see
   * {@link DemoCorpus#referenceBooks()}) after the first 40% of its tokens: what attribution catches.
   */
  VERBATIM_COPY;

  /** Words pasted by {@link #VERBATIM_COPY}. */
  static final int PASTED_WORDS = 60;

  /** Replacement names for the entity swap: unrelated to either book, so every swapped name is new. */
  private static final List<String> SWAP_NAMES = List.of(
      "Anton", "Natalia", "Petrov", "Olga", "Dmitri", "Karamazov", "Ivanov", "Boris", "Sonya", "Vera", "Nikolai",
      "Tatiana", "Sergei", "Irina", "Rostov", "Alyosha", "Marfa", "Pavel", "Lizaveta", "Grushenka");

  /** The scenario's label as it appears in attributes and docs (steady, topic-drift, repetition-loop). */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A prompt and the tokens of its completion, drawn from the corpus with the given randomness. */
  public Script script(DemoCorpus corpus, Random random, int tokens) {
    // An entity swap needs names to swap: draw narrative passages until the second half has a few.
    for (int attempt = 0; attempt < 10_000; attempt++) {
      Script script = draw(corpus, random, tokens);
      if (this != ENTITY_SWAP || script.swappedNames() >= Math.max(1, tokens / TOKENS_PER_SWAPPED_NAME)) {
        return script;
      }
    }
    throw new IllegalStateException("no passage of the corpus has names enough for an entity swap");
  }

  /** An entity swap renames at least one name mention per this many tokens (8 in 480 tokens). */
  private static final int TOKENS_PER_SWAPPED_NAME = 60;

  private Script draw(DemoCorpus corpus, Random random, int tokens) {
    List<DemoCorpus.Book> books = corpus.books();
    List<DemoCorpus.Book> homes = this == ENTITY_SWAP ? books.stream().filter(DemoCorpus.Book::narrative).toList() : books;
    DemoCorpus.Book home = homes.get(random.nextInt(homes.size()));
    // Topic drift goes to an unrelated book: from a novel to travel writing or back.
    List<DemoCorpus.Book> unrelated = books.stream().filter(b -> b.narrative() != home.narrative()).toList();
    DemoCorpus.Book away = unrelated.get(random.nextInt(unrelated.size()));
    int start = random.nextInt(home.paragraphs().size());
    String prompt = firstSentence(home.paragraphs().get(start));

    List<String> homeTokens = tokensFrom(home, start, tokens, prompt.length());
    int swapped = 0;
    List<String> out;
    switch (this) {
      case STEADY -> out = homeTokens;
      case TOPIC_DRIFT -> {
        out = new ArrayList<>(homeTokens.subList(0, tokens / 2));
        out.addAll(tokensFrom(away, random.nextInt(away.paragraphs().size()), tokens - tokens / 2, 0));
      }
      case ENTITY_SWAP -> {
        out = new ArrayList<>(homeTokens.subList(0, tokens / 2));
        List<String> second = homeTokens.subList(tokens / 2, tokens);
        List<String> renamed = swapNames(second, names(prompt, homeTokens.subList(0, tokens / 2)));
        for (int i = 0; i < second.size(); i++) {
          swapped += second.get(i).equals(renamed.get(i)) ? 0 : 1;
        }
        out.addAll(renamed);
      }
      case VERBATIM_COPY -> {
        List<DemoCorpus.Book> references = corpus.referenceBooks();
        DemoCorpus.Book reference = references.get(random.nextInt(references.size()));
        List<String> pasted = pasteFrom(reference, random, Math.max(1, tokens / 2));
        int cut = Math.max(0, Math.min(tokens * 2 / 5, tokens - pasted.size()));
        out = new ArrayList<>(homeTokens.subList(0, cut));
        out.addAll(pasted);
        out.addAll(homeTokens.subList(cut, Math.max(cut, tokens - pasted.size())));
      }
      default -> { // REPETITION_LOOP
        out = new ArrayList<>(homeTokens.subList(0, tokens / 3));
        List<String> sentence = SimpleTokenizer.tokenize(" " + firstSentence(home.paragraphs().get((start + 1) % home.paragraphs().size())));
        while (out.size() < tokens) {
          out.addAll(sentence.subList(0, Math.min(sentence.size(), tokens - out.size())));
        }
      }
    }
    return new Script(this, home.name(), prompt, List.copyOf(out), swapped, homeTokens);
  }

  /** About {@link #PASTED_WORDS} words of a reference paragraph, from a sentence start, as tokens (at most {@code max}). */
  private static List<String> pasteFrom(DemoCorpus.Book reference, Random random, int max) {
    List<String> long_ = reference.paragraphs().stream().filter(p -> p.split(" ").length >= PASTED_WORDS).toList();
    String paragraph = long_.get(random.nextInt(long_.size()));
    String[] words = paragraph.split(" ");
    List<String> tokens = SimpleTokenizer.tokenize(" " + String.join(" ", java.util.Arrays.copyOf(words, PASTED_WORDS)));
    return tokens.subList(0, Math.min(tokens.size(), max));
  }

  /** What one demo generation will say. */
  /**
   * @param source the book the passage starts in
   * @param swappedNames name mentions an entity swap replaced (0 for other scenarios)
   * @param faithful the passage's faithful continuation: what {@link #STEADY} would have said from the
   *     same prompt, so an experiment can compare each altered generation with its unaltered twin
   */
  public record Script(Scenario scenario, String source, String prompt, List<String> tokens, int swappedNames, List<String> faithful) {
    public Script {
      tokens = List.copyOf(tokens);
      faithful = List.copyOf(faithful);
    }

    /** The unaltered twin of this script, labelled steady. */
    public Script steadyTwin() {
      return new Script(STEADY, source, prompt, faithful, 0, faithful);
    }
  }

  /**
   * Gives the people and places of the first half new names in the second: every capitalised word of
   * the second half that is not at the start of a sentence and was already used, capitalised, in the
   * prompt or the first half is replaced by a name from {@link #SWAP_NAMES}, the same name for the same
   * word. Names that first appear in the second half are left as they are.
   */
  private static List<String> swapNames(List<String> tokens, java.util.Set<String> established) {
    java.util.Map<String, String> mapping = new java.util.HashMap<>();
    List<String> out = new ArrayList<>(tokens.size());
    String previous = ".";
    for (String token : tokens) {
      String word = token.strip();
      // Established names are renamed wherever they stand, sentence starts included.
      if (established.contains(word)) {
        String name = mapping.computeIfAbsent(word, w -> SWAP_NAMES.get(Math.floorMod(w.hashCode(), SWAP_NAMES.size())));
        out.add(token.substring(0, token.indexOf(word)) + name);
      } else {
        out.add(token);
      }
      if (!word.isEmpty()) {
        previous = word;
      }
    }
    return out;
  }

  /** Capitalised words used mid-sentence in the prompt or the tokens: the names of the text so far. */
  private static java.util.Set<String> names(String prompt, List<String> tokens) {
    java.util.Set<String> out = new java.util.HashSet<>();
    String previous = ".";
    List<String> all = new ArrayList<>(SimpleTokenizer.tokenize(prompt));
    all.addAll(tokens);
    for (String token : all) {
      String word = token.strip();
      if (!atSentenceStart(previous) && word.length() > 1 && Character.isUpperCase(word.charAt(0))
          && word.chars().allMatch(Character::isLetter)) {
        out.add(word);
      }
      if (!word.isEmpty()) {
        previous = word;
      }
    }
    return out;
  }

  private static boolean atSentenceStart(String previousWord) {
    return previousWord.endsWith(".") || previousWord.endsWith("!") || previousWord.endsWith("?")
        || previousWord.endsWith("\u201c") || previousWord.endsWith("\"") || previousWord.endsWith("\u201d");
  }

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

  private static final java.util.Set<String> ABBREVIATIONS = java.util.Set.of("Mr", "Mrs", "Dr", "St", "Ms");

  private static String firstSentence(String paragraph) {
    int end = -1;
    for (int i = 0; i < paragraph.length() && end < 0; i++) {
      char c = paragraph.charAt(i);
      if ((c == '.' || c == '?' || c == '!') && (i + 1 == paragraph.length() || paragraph.charAt(i + 1) == ' ') && i > 20
          && !ABBREVIATIONS.contains(paragraph.substring(paragraph.lastIndexOf(' ', i) + 1, i))) {
        end = i + 1;
      }
    }
    return end < 0 ? paragraph : paragraph.substring(0, end);
  }
}
