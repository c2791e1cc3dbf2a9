package io.driftwatch.scoring.reference;

import io.driftwatch.scoring.text.WordScanner;
import io.driftwatch.scoring.text.Words;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds who and what a text refers to, without a parser: proper-noun spans (runs of capitalised words,
 * titles such as "Mr." included) and third-person pronouns.
 *
 * <p>A capitalised word that starts a sentence is ambiguous ("The", "When", "Elizabeth"): it counts as
 * a mention only when it is already a known entity or begins a longer capitalised span. An entity's key
 * is the lower-cased last word of its span, so "Mr. Darcy" and "Darcy" are one entity; a possessive is
 * its name ("Nick's" is "nick"); and the other words of a full name become aliases of its key, so that
 * after "Nick Carraway" a lone "Nick" is the same entity ({@link Found#aliases}).
 */
public final class Mentions {

  /**
   * What one piece of text mentions.
   *
   * @param entities entity keys, one per mention, in order
   * @param aliases first names (and other leading words) of full names seen here, each with its key
   * @param openers lone capitalised words that open a sentence and are not known names ("Natalia added
   *     it."): a name or an ordinary word, which only a later mention in mid-sentence tells apart
   */
  public record Found(List<String> entities, int pronouns, Map<String, String> aliases, List<String> openers) {
    public Found {
      // The aliases keep their order (a LinkedHashMap): the tracker adds them in it, up to its cap.
      entities = List.copyOf(entities);
      openers = List.copyOf(openers);
    }
  }

  private static final Set<String> TITLES = Set.of(
      "mr", "mrs", "miss", "ms", "dr", "sir", "lady", "lord", "madam", "madame", "captain", "colonel", "professor", "aunt",
      "uncle", "king", "queen", "prince", "princess", "mister", "monsieur", "mademoiselle");
  private static final Set<String> PRONOUNS = Set.of(
      "he", "she", "him", "her", "his", "hers", "himself", "herself", "they", "them", "their", "theirs", "themselves");
  /** Capitalised words that are not names even mid-sentence. */
  private static final Set<String> NOT_NAMES = Set.of("i", "i'm", "i've", "i'll", "i'd", "o", "oh", "god", "heaven");

  private Mentions() {}

  public static Found in(String text, Set<String> known) {
    return in(text, known, Map.of());
  }

  /**
   * @param known entity keys seen before (a sentence-initial word that is one counts as a mention)
   * @param aliases name words seen before as part of a full name, with the full name's key
   */
  public static Found in(String text, Set<String> known, Map<String, String> aliases) {
    if (looksLikeCodeOrData(text)) {
      return new Found(List.of(), 0, Map.of(), List.of());
    }
    List<String> entities = new ArrayList<>();
    List<String> openers = new ArrayList<>();
    Map<String, String> found = new LinkedHashMap<>();
    int pronouns = 0;
    WordScanner m = WordScanner.letters(text);
    List<String> span = new ArrayList<>();
    boolean spanAtSentenceStart = false;
    int spanEnd = -1;
    int previousEnd = 0;
    while (m.find()) {
      String word = m.word();
      // Cut, so that an entity key (a map key in the stored state) stays short whatever the text.
      String lower = Words.cut(withoutPossessive(word.toLowerCase(Locale.ROOT).replace('’', '\'')), Words.MAX_WORD_CHARS);
      String gap = text.substring(previousEnd, m.start());
      boolean sentenceStart = opensSentence(gap, previousEnd == 0);
      boolean capitalised = Character.isUpperCase(word.charAt(0)) && !NOT_NAMES.contains(lower);
      boolean continuesSpan = !span.isEmpty() && spanEnd == m.start() - gap.length() && joinsSpan(gap, span);
      if (capitalised && (span.isEmpty() || continuesSpan)) {
        if (span.isEmpty()) {
          spanAtSentenceStart = sentenceStart;
        }
        span.add(lower);
      } else {
        addSpan(span, spanAtSentenceStart, known, aliases, found, entities, openers);
        span.clear();
        if (capitalised) {
          spanAtSentenceStart = sentenceStart;
          span.add(lower);
        }
      }
      if (!capitalised || sentenceStart) {
        if (PRONOUNS.contains(lower)) {
          pronouns++;
        }
      }
      spanEnd = m.end();
      previousEnd = m.end();
    }
    addSpan(span, spanAtSentenceStart, known, aliases, found, entities, openers);
    return new Found(entities, pronouns, found, openers);
  }

  /** Characters that prose hardly uses and code, markup and data rows use all the time. */
  private static final String CODE_MARKS = "{}[]<>|=@#$%^\\/`~+";

  /**
   * Whether a text reads as code, a table row or a data record rather than prose: two or more of
   * {@link #CODE_MARKS}, or two or more pairs of parentheses. Capitalised words there are identifiers,
   * column values and keys, and a list of records changes its "names" at every row.
   */
  static boolean looksLikeCodeOrData(String text) {
    int marks = 0;
    int parentheses = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (CODE_MARKS.indexOf(c) >= 0) {
        marks++;
      } else if (c == '(') {
        parentheses++;
      }
    }
    return marks >= 2 || parentheses >= 2;
  }

  /** Whether two capitalised words separated by this gap belong to one name ("Mr. Darcy", "Jane Bennet"). */
  private static boolean joinsSpan(String gap, List<String> span) {
    if (gap.equals(" ")) {
      return true;
    }
    return gap.equals(". ") && TITLES.contains(span.get(span.size() - 1));
  }

  /**
   * Whether a word after this gap starts a sentence, so that its capital says nothing: after a sentence
   * end, at the start of the text behind any punctuation, and right after an opening quote or bracket
   * ("“Perfectly.", "said he, “A trifling part"), where speech opens with a capital whatever the word.
   */
  static boolean opensSentence(String gap, boolean atTextStart) {
    int end = gap.length();
    while (end > 0 && (gap.charAt(end - 1) == '_' || gap.charAt(end - 1) == '*')) {
      end--;
    }
    if (end > 0 && OPENERS.indexOf(gap.charAt(end - 1)) >= 0) {
      return true;
    }
    for (int i = end - 1; i >= 0; i--) {
      char c = gap.charAt(i);
      if (c == '.' || c == '!' || c == '?' || c == '\n') {
        return true;
      }
      if (Character.isLetterOrDigit(c)) {
        return false;
      }
    }
    return atTextStart;
  }

  /** Opening quotes and brackets: a word right behind one opens speech or an aside. */
  private static final String OPENERS = "“‘\"'«([";

  /** "nick's" is "nick", "the jameses'" is "the jameses": a name's possessive is the name. */
  static String withoutPossessive(String lower) {
    if (lower.endsWith("'s") && lower.length() > 2) {
      return lower.substring(0, lower.length() - 2);
    }
    return lower.endsWith("'") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static void addSpan(List<String> span, boolean atSentenceStart, Set<String> known, Map<String, String> aliases,
      Map<String, String> newAliases, List<String> out, List<String> openers) {
    if (span.isEmpty()) {
      return;
    }
    // Drop a leading word that is only capitalised because it starts the sentence ("When Darcy ...").
    List<String> words = span;
    String head = words.get(0);
    boolean headKnown = known.contains(head) || aliases.containsKey(head) || newAliases.containsKey(head);
    if (atSentenceStart && !headKnown && !TITLES.contains(head)) {
      if (words.size() == 1) {
        if (!Words.isStopword(head) && !PRONOUNS.contains(head)) {
          openers.add(head);
        }
        return;
      }
      if (PRONOUNS.contains(words.get(0)) || Words.isStopword(words.get(0))) {
        words = words.subList(1, words.size());
      }
    }
    String key = words.get(words.size() - 1);
    if (TITLES.contains(key) || Words.isStopword(key) || PRONOUNS.contains(key)) {
      return;
    }
    if (words.size() == 1) {
      String alias = newAliases.getOrDefault(key, aliases.get(key));
      // A surname is never an alias of someone else's key: "Bennet" stays "bennet".
      out.add(alias != null && !known.contains(key) ? alias : key);
      return;
    }
    for (String part : words.subList(0, words.size() - 1)) {
      if (!TITLES.contains(part) && !Words.isStopword(part) && !PRONOUNS.contains(part) && !known.contains(part)
          && !aliases.containsKey(part)) {
        newAliases.putIfAbsent(part, key);
      }
    }
    out.add(key);
  }
}
