package io.driftwatch.scoring.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word-level views of text, independent of any model's tokenizer: words, their lower-case forms, and
 * "content stems" (words that carry topic, stripped of common inflection) for lexical overlap scores.
 */
public final class Words {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)*");

  /** Stopwords: function words that connect any two sentences and so say nothing about topic. */
  private static final Set<String> STOPWORDS = Set.of(
      "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
      "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
      "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for", "from", "further", "had", "has",
      "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into",
      "is", "it", "its", "itself", "just", "let", "like", "made", "make", "many", "may", "me", "might", "more", "most",
      "much", "must", "my", "myself", "never", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or",
      "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "said", "same", "say", "see", "shall", "she",
      "should", "so", "some", "still", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
      "there", "these", "they", "thing", "this", "those", "though", "through", "thus", "to", "too", "under", "until",
      "up", "upon", "us", "very", "was", "we", "well", "were", "what", "when", "where", "whether", "which", "while",
      "who", "whom", "whose", "why", "will", "with", "without", "would", "yet", "you", "your", "yours", "yourself",
      "yourselves", "mr", "mrs", "miss", "sir", "dr", "st", "little", "great", "good", "know", "think", "come", "came",
      "go", "went", "two", "time", "however", "soon", "indeed", "nothing", "something");

  private Words() {}

  /** The words of a text in order, as written (case kept). */
  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  public static String lower(String word) {
    return word.toLowerCase(Locale.ROOT);
  }

  public static boolean isStopword(String lowerWord) {
    return STOPWORDS.contains(lowerWord);
  }

  /** Distinct content stems of a text, in order of first appearance. */
  public static Set<String> contentStems(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String word : of(text)) {
      String lower = lower(word);
      if (lower.length() >= 3 && !isStopword(lower) && !isNumber(lower)) {
        out.add(stem(lower));
      }
    }
    return out;
  }

  /**
   * A deliberately light stemmer: possessives, plural -s/-es, -ed and -ing. Good enough to match
   * "letter" with "letters" and "walked" with "walking"; not a linguistic analysis.
   */
  public static String stem(String lower) {
    String w = lower.replace('’', '\'');
    if (w.endsWith("'s")) {
      w = w.substring(0, w.length() - 2);
    }
    if (w.length() > 5 && w.endsWith("ing")) {
      return w.substring(0, w.length() - 3);
    }
    if (w.length() > 4 && w.endsWith("ed")) {
      return w.substring(0, w.length() - 2);
    }
    if (w.length() > 4 && w.endsWith("es")) {
      return w.substring(0, w.length() - 2);
    }
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }

  private static boolean isNumber(String w) {
    return w.chars().allMatch(Character::isDigit);
  }
}
