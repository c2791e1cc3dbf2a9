package io.driftwatch.producers.calibration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calibration set of real text: passages of every bundled book's genre, left as they are
 * ({@code steady}), spliced into another book or a distant chapter ({@code splice}), or with the names
 * established so far replaced from a point on ({@code name-swap}). Deterministic for a seed, and split
 * in two halves by a hash of each text's id: thresholds are tuned on one half and reported on the other
 * ({@link LabelledText#holdout()}).
 *
 * <p>Each passage is 150 to 500 words of the book, cut at a sentence end, and its prompt is the text
 * just before it (up to about 80 words), as a model asked to continue the book would see it. Splices
 * and swaps happen at a sentence end between 30% and 70% of the passage's words.
 */
public final class CalibrationSet {

  /** A genre and the bundled books that stand for it. */
  public record Genre(String name, List<String> books, boolean narrative) {}

  public static final List<Genre> GENRES = List.of(
      new Genre("novel-of-manners", List.of("pride_and_prejudice", "emma", "mansfield_park", "sense_and_sensibility"), true),
      new Genre("domestic-fiction", List.of("little_women", "little_men"), true),
      new Genre("detective", List.of("poirot_investigates", "the_man_in_the_brown_suit"), true),
      new Genre("gothic", List.of("frankenstein"), true),
      new Genre("modern-fiction", List.of("the_great_gatsby"), true),
      new Genre("travel-nature", List.of("cape_cod"), false),
      new Genre("epistolary", List.of("the_coquette"), true),
      new Genre("drama", List.of("tiny_shakespeare"), true));

  public static final String STEADY = "steady";
  public static final String SPLICE = "splice";
  public static final String NAME_SWAP = "name-swap";

  static final int MIN_WORDS = 150;
  static final int MAX_WORDS = 500;
  private static final int PROMPT_WORDS = 80;

  /** Replacement names: common enough to read naturally, absent from the bundled books' casts. */
  private static final List<String> NEW_NAMES = List.of(
      "Anton", "Natalia", "Petrov", "Olga", "Dmitri", "Ingrid", "Ivanov", "Boris", "Sonya", "Vera", "Nikolai", "Tatiana",
      "Sergei", "Irina", "Rostov", "Marek", "Halvard", "Pavel", "Lizaveta", "Svetlana", "Kowalski", "Dagny", "Yusuf",
      "Amara", "Okafor", "Tomasz", "Brigitte", "Lindqvist", "Farida", "Esteban");
  /** Capitalised words that are not names of people or places: never swapped. */
  private static final Set<String> NOT_NAMES = Set.of(
      "I", "God", "Heaven", "Providence", "Sir", "Madam", "Mr", "Mrs", "Miss", "Ms", "Dr", "Lady", "Lord", "Mamma", "Papa",
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
      "May", "June", "July", "August", "September", "October", "November", "December", "English", "French", "Christmas",
      "O", "Oh", "Ah", "Yes", "No", "The", "A", "An", "But", "And", "Chapter", "CHAPTER");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\"'”’)\\]]*(?=\\s)");
  private static final Set<String> ABBREVIATIONS = Set.of("Mr", "Mrs", "Dr", "St", "Ms", "Mme", "Messrs", "Col", "Capt", "M");
  private static final Pattern HEADING = Pattern.compile("^(?:CHAPTER|Chapter|BOOK|Book|VOLUME|Volume|LETTER|Letter|ACT|SCENE)\\b.*");
  private static final Pattern CAPITALISED = Pattern.compile("\\b\\p{Lu}\\p{Ll}{2,}\\b");

  private final Map<String, List<String>> blocks = new HashMap<>();

  /**
   * Builds the set.
   *
   * @param perGenre texts of each scenario per genre (name swaps only for narrative genres)
   */
  public static List<LabelledText> build(long seed, int perGenre) {
    return new CalibrationSet().generate(seed, perGenre);
  }

  private List<LabelledText> generate(long seed, int perGenre) {
    List<LabelledText> out = new ArrayList<>();
    for (Genre genre : GENRES) {
      Random random = new Random(seed ^ genre.name().hashCode());
      for (int i = 0; i < perGenre; i++) {
        out.add(steady(genre, random, i));
      }
      for (int i = 0; i < perGenre; i++) {
        out.add(splice(genre, random, i));
      }
      if (genre.narrative()) {
        int made = 0;
        for (int attempt = 0; made < perGenre && attempt < perGenre * 50; attempt++) {
          LabelledText swap = nameSwap(genre, random, made);
          if (swap != null) {
            out.add(swap);
            made++;
          }
        }
      }
    }
    return out;
  }

  private LabelledText steady(Genre genre, Random random, int i) {
    Passage p = passage(genre, random, MIN_WORDS + random.nextInt(MAX_WORDS - MIN_WORDS + 1));
    String id = genre.name() + "/steady/" + i;
    return new LabelledText(id, genre.name(), STEADY, p.prompt(), p.text(), -1, Books.holdout(id));
  }

  private LabelledText splice(Genre genre, Random random, int i) {
    int words = MIN_WORDS + random.nextInt(MAX_WORDS - MIN_WORDS + 1);
    Passage home = passage(genre, random, words);
    String first = cutAtSentence(home.text(), (int) Math.round(words * (0.3 + 0.4 * random.nextDouble())));
    int rest = Math.max(20, words - wordCount(first));
    Passage donor;
    boolean otherBook = random.nextBoolean();
    if (otherBook) {
      Genre other = GENRES.get(random.nextInt(GENRES.size()));
      while (other == genre) {
        other = GENRES.get(random.nextInt(GENRES.size()));
      }
      donor = passage(other, random, rest);
    } else {
      donor = distantPassage(home, random, rest);
    }
    String separator = random.nextBoolean() ? "\n\n" : " ";
    String id = genre.name() + "/splice/" + i + (otherBook ? "/other-book" : "/same-book");
    return new LabelledText(id, genre.name(), SPLICE, home.prompt(), first + separator + donor.text(),
        first.length() + separator.length(), Books.holdout(id));
  }

  /**
   * A passage whose names, from a sentence end on, are replaced by new ones (the same new name for the
   * same old one, possessives and sentence starts included); null when too few mentions were renamed.
   */
  private LabelledText nameSwap(Genre genre, Random random, int i) {
    int words = MIN_WORDS + random.nextInt(MAX_WORDS - MIN_WORDS + 1);
    Passage p = passage(genre, random, words);
    String first = cutAtSentence(p.text(), (int) Math.round(words * (0.3 + 0.4 * random.nextDouble())));
    String second = p.text().substring(first.length());
    Set<String> established = names(p.prompt() + "\n\n" + first);
    Map<String, String> mapping = new LinkedHashMap<>();
    List<String> fresh = new ArrayList<>(NEW_NAMES);
    java.util.Collections.shuffle(fresh, random);
    for (String name : established) {
      if (!fresh.isEmpty() && Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(second).find()) {
        mapping.put(name, fresh.remove(fresh.size() - 1));
      }
    }
    if (mapping.isEmpty()) {
      return null;
    }
    Pattern any = Pattern.compile("\\b(" + String.join("|", mapping.keySet().stream().map(Pattern::quote).toList()) + ")\\b");
    Matcher m = any.matcher(second);
    StringBuilder swapped = new StringBuilder();
    int renamed = 0;
    int firstRenamed = -1;
    while (m.find()) {
      if (firstRenamed < 0) {
        firstRenamed = m.start();
      }
      m.appendReplacement(swapped, Matcher.quoteReplacement(mapping.get(m.group(1))));
      renamed++;
    }
    m.appendTail(swapped);
    // A swap whose names barely recur is barely a swap: at least one renamed mention per 50 words.
    if (renamed < Math.max(3, wordCount(second) / 50)) {
      return null;
    }
    String id = genre.name() + "/name-swap/" + i;
    return new LabelledText(id, genre.name(), NAME_SWAP, p.prompt(), first + swapped, first.length() + firstRenamed, Books.holdout(id));
  }

  /** Capitalised words used after the first word of a sentence: the text's names. */
  static Set<String> names(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = CAPITALISED.matcher(text);
    while (m.find()) {
      String word = m.group();
      if (NOT_NAMES.contains(word) || atSentenceStart(text, m.start())) {
        continue;
      }
      out.add(word);
    }
    return out;
  }

  private static boolean atSentenceStart(String text, int at) {
    int i = at - 1;
    while (i >= 0 && !Character.isLetterOrDigit(text.charAt(i)) && ".!?:;\n".indexOf(text.charAt(i)) < 0) {
      i--;
    }
    return i < 0 || ".!?:;\n".indexOf(text.charAt(i)) >= 0;
  }

  /** A prompt and the passage that follows it. */
  record Passage(String book, int block, String prompt, String text) {}

  private Passage passage(Genre genre, Random random, int words) {
    String book = genre.books().get(random.nextInt(genre.books().size()));
    List<String> all = blocks(book);
    int from = all.size() / 20;
    int to = all.size() - all.size() / 20 - 60;
    return passageAt(book, from + random.nextInt(Math.max(1, to - from)), words);
  }

  /** A passage of the same book at least a quarter of the book away: a distant chapter. */
  private Passage distantPassage(Passage home, Random random, int words) {
    List<String> all = blocks(home.book());
    int from = all.size() / 20;
    int to = all.size() - all.size() / 20 - 60;
    for (int attempt = 0; attempt < 1000; attempt++) {
      int block = from + random.nextInt(Math.max(1, to - from));
      if (Math.abs(block - home.block()) >= all.size() / 4) {
        return passageAt(home.book(), block, words);
      }
    }
    throw new IllegalStateException("no distant chapter in " + home.book());
  }

  private Passage passageAt(String book, int block, int words) {
    List<String> all = blocks(book);
    StringBuilder text = new StringBuilder();
    int b = block;
    while (wordCount(text) < words + 40 && b < all.size()) {
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      text.append(all.get(b++));
    }
    String body = cutAtSentence(text.toString(), words);
    StringBuilder before = new StringBuilder();
    for (int p = block - 1; p >= 0 && wordCount(before) < PROMPT_WORDS; p--) {
      before.insert(0, all.get(p) + (before.isEmpty() ? "" : "\n\n"));
    }
    return new Passage(book, block, lastWords(before.toString(), PROMPT_WORDS), body);
  }

  /** The text up to the first sentence end at or after {@code words} words (all of it if none). */
  static String cutAtSentence(String text, int words) {
    Matcher m = SENTENCE_END.matcher(text);
    while (m.find()) {
      if (isAbbreviation(text, m.start())) {
        continue;
      }
      String head = text.substring(0, m.end());
      if (wordCount(head) >= words) {
        return head;
      }
    }
    return text.strip();
  }

  /** The last sentences of a text that fit in about {@code words} words (at least one sentence). */
  private static String lastWords(String text, int words) {
    if (wordCount(text) <= words) {
      return text.strip();
    }
    Matcher m = SENTENCE_END.matcher(text);
    int start = 0;
    while (m.find()) {
      if (!isAbbreviation(text, m.start()) && wordCount(text.substring(m.end())) >= 8) {
        if (wordCount(text.substring(m.end())) <= words) {
          return text.substring(m.end()).strip();
        }
        start = m.end();
      }
    }
    return text.substring(start).strip();
  }

  private static boolean isAbbreviation(String text, int dot) {
    int s = dot;
    while (s > 0 && Character.isLetter(text.charAt(s - 1))) {
      s--;
    }
    return text.charAt(dot) == '.' && ABBREVIATIONS.contains(text.substring(s, dot));
  }

  static int wordCount(CharSequence text) {
    int n = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean letter = Character.isLetterOrDigit(text.charAt(i));
      if (letter && !inWord) {
        n++;
      }
      inWord = letter;
    }
    return n;
  }

  /**
   * A book's blocks: paragraphs of prose with their whitespace collapsed; for verse and drama (lines
   * that matter) the lines are kept. Headings are left out.
   */
  private List<String> blocks(String book) {
    return blocks.computeIfAbsent(book, name -> {
      boolean lines = name.equals("tiny_shakespeare");
      List<String> out = new ArrayList<>();
      for (String block : Books.body(name).split("\\n\\s*\\n")) {
        String b = lines ? block.strip() : block.strip().replaceAll("\\s+", " ");
        if (wordCount(b) < 3 || b.equals(b.toUpperCase()) || HEADING.matcher(b).matches()) {
          continue;
        }
        out.add(b);
      }
      return out;
    });
  }
}
