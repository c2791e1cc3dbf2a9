package io.driftwatch.attribution;

import java.util.List;

/** Brute-force answers over a corpus kept as plain word lists, for checking the index and the matcher. */
final class Oracle {

  private Oracle() {}

  /** Occurrences of {@code phrase} inside single documents, by trying every start position. */
  static long count(List<List<String>> corpus, List<String> phrase) {
    long count = 0;
    for (List<String> doc : corpus) {
      for (int start = 0; start + phrase.size() <= doc.size(); start++) {
        if (doc.subList(start, start + phrase.size()).equals(phrase)) {
          count++;
        }
      }
    }
    return count;
  }

  static boolean occurs(List<List<String>> corpus, List<String> phrase) {
    return phrase.isEmpty() || count(corpus, phrase) > 0;
  }
}
