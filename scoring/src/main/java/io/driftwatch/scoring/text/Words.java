package io.driftwatch.scoring.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Word-level views of text, independent of any model's tokenizer: words, their lower-case forms, and
 * "content stems" (words that carry topic, stripped of common inflection) for lexical overlap scores.
 */
public final class Words {

  /**
   * Stopwords: function words and the most frequent general words of English prose. They connect any
   * two sentences on any topic, so counting them would only blur the lexical overlap scores.
   */
  private static final Set<String> STOPWORDS = Set.of(
      "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
      "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did",
      "do", "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for", "from", "further",
      "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i",
      "if", "in", "into", "is", "it", "its", "itself", "just", "let", "like", "made", "make", "many", "may", "me",
      "might", "more", "most", "much", "must", "my", "myself", "never", "no", "nor", "not", "now", "of", "off", "on",
      "once", "one", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "said",
      "same", "say", "see", "shall", "she", "should", "so", "some", "still", "such", "than", "that", "the", "their",
      "theirs", "them", "themselves", "then", "there", "these", "they", "thing", "this", "those", "though",
      "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "was", "we", "well", "were",
      "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "without",
      "would", "yet", "you", "your", "yours", "yourself", "yourselves", "mr", "mrs", "miss", "sir", "dr", "st",
      "little", "great", "good", "know", "think", "come", "came", "go", "went", "two", "time", "however", "soon",
      "indeed", "nothing", "something", "anything", "everything", "away", "back", "first", "last", "new", "old",
      "right", "left", "hand", "hands", "eyes", "face", "head", "life", "world", "place", "part", "found", "took",
      "gave", "got", "get", "give", "take", "told", "tell", "asked", "ask", "seemed", "seem", "looked", "look",
      "felt", "feel", "knew", "thought", "heard", "saw", "seen", "going", "put", "set", "began", "kept", "keep",
      "turned", "turn", "called", "call", "whole", "half", "next", "another", "almost", "quite", "rather", "perhaps",
      "often", "always", "sometimes", "already", "less", "least", "several", "enough", "therefore", "although",
      "within", "towards", "toward", "among", "across", "around", "behind", "beyond", "near", "far", "moment",
      "manner", "kind", "sort", "word", "words", "either", "neither", "else", "certainly", "really", "mean", "means",
      "says", "mind", "young", "small", "large", "high", "low", "bad", "better", "best", "full", "able", "sure",
      "true", "three", "four", "five", "six", "ten", "hundred", "thousand", "twice", "day", "days", "way", "man",
      "men", "woman", "women", "long", "certain", "yes", "oh", "done", "gone", "given", "taken", "makes", "making",
      "comes", "coming", "goes", "anyone", "everyone", "someone", "nobody", "none", "per");

  /**
   * Longest word the scorers keep, in characters; a longer one (base64, a run of one letter) is cut
   * here, so that no content stem or entity key held in a generation's state is longer. English words
   * are far shorter, so real text is unaffected.
   */
  public static final int MAX_WORD_CHARS = 32;

  private Words() {}

  /** The first {@code maxChars} characters of {@code text}, or fewer so as not to split a surrogate pair. */
  public static String cut(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** The words of a text in order, as written (case kept): letters and numbers, as {@link WordScanner#lettersAndNumbers}. */
  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    WordScanner words = WordScanner.lettersAndNumbers(text);
    while (words.find()) {
      out.add(words.word());
    }
    return out;
  }

  public static String lower(String word) {
    return word.toLowerCase(Locale.ROOT);
  }

  public static boolean isStopword(String lowerWord) {
    return STOPWORDS.contains(lowerWord);
  }

  /** Distinct content stems of a text, in order of first appearance; words cut at {@value #MAX_WORD_CHARS} characters. */
  public static Set<String> contentStems(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String word : of(text)) {
      String lower = cut(lower(word), MAX_WORD_CHARS);
      if (lower.length() >= 3 && !isStopword(lower) && !isNumber(lower)) {
        out.add(stem(lower));
      }
    }
    return out;
  }

  /**
   * A deliberately light stemmer, so that inflected forms meet: possessives, plurals (-s, -es, -ies),
   * -ed, -ied and -ing, then a final -e and a doubled final consonant. "forced" and "force" both give
   * "forc", "vices" and "vice" give "vic", "replied" and "reply" give "reply", "stopping" and "stop"
   * give "stop". Not a linguistic analysis; its only job is to make lexical overlap less brittle.
   */
  public static String stem(String lower) {
    String w = lower.replace('’', '\'');
    if (w.endsWith("'s")) {
      w = w.substring(0, w.length() - 2);
    }
    if (w.length() > 4 && (w.endsWith("ies") || w.endsWith("ied"))) {
      w = w.substring(0, w.length() - 3) + "y";
    } else if (w.endsWith("sses")) {
      w = w.substring(0, w.length() - 2);
    } else if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
      w = w.substring(0, w.length() - 1);
    }
    if (w.length() > 5 && w.endsWith("ing")) {
      w = w.substring(0, w.length() - 3);
    } else if (w.length() > 4 && w.endsWith("ed")) {
      w = w.substring(0, w.length() - 2);
    }
    if (w.length() > 3 && w.endsWith("e")) {
      w = w.substring(0, w.length() - 1);
    }
    int n = w.length();
    if (n > 3 && w.charAt(n - 1) == w.charAt(n - 2) && isConsonant(w.charAt(n - 1)) && w.charAt(n - 1) != 'l' && w.charAt(n - 1) != 's') {
      w = w.substring(0, n - 1);
    }
    return w;
  }

  private static boolean isConsonant(char c) {
    return Character.isLetter(c) && "aeiouy".indexOf(c) < 0;
  }

  private static boolean isNumber(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (!Character.isDigit(w.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
