package io.driftwatch.attribution;

/**
 * Settings of the streaming matcher.
 *
 * @param minSpan shortest matched span reported as a {@link Span} and counted in the sources (words)
 * @param verbatimOver a {@link VerbatimEvent} is raised when a span grows longer than this (words)
 * @param listedOccurrences how many occurrences a span or event lists (its total is always given)
 * @param window how many words of the current match are remembered for re-searching after it breaks; a
 *     longer match still grows, but after a break only suffixes of at most this many words are tried
 *     (see {@link StreamingMatcher}). Coverage at every length up to 12 is exact when this is at least 12.
 * @param maxSources distinct source documents tracked per generation for the source entropy; weight
 *     beyond them is pooled (see {@link AttributionSummary#sourcesTruncated()})
 */
public record MatchSettings(int minSpan, int verbatimOver, int listedOccurrences, int window, int maxSources) {

  public static final MatchSettings DEFAULTS = new MatchSettings(5, 40, 5, 1024, 64);

  public MatchSettings {
    require(minSpan >= 1, "minSpan must be at least 1");
    require(verbatimOver >= 1, "verbatimOver must be at least 1");
    require(listedOccurrences >= 1, "listedOccurrences must be at least 1");
    require(window >= 1 && window <= MatchStateCodec.MAX_WINDOW, "window must be 1 to " + MatchStateCodec.MAX_WINDOW);
    require(maxSources >= 1, "maxSources must be at least 1");
  }

  public MatchSettings withWindow(int words) {
    return new MatchSettings(minSpan, verbatimOver, listedOccurrences, words, maxSources);
  }

  public MatchSettings withMinSpan(int words) {
    return new MatchSettings(words, verbatimOver, listedOccurrences, window, maxSources);
  }

  public MatchSettings withVerbatimOver(int words) {
    return new MatchSettings(minSpan, words, listedOccurrences, window, maxSources);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
