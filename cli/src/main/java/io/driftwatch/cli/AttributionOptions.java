package io.driftwatch.cli;

import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.scoring.attribution.AttributionScoring;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The attribution options shared by {@code run}, {@code demo} and {@code score} (a picocli mixin). */
final class AttributionOptions {

  @Option(names = "--index", paramLabel = "DIR",
      description = "A reference-corpus index (driftwatch index build): adds attribution scores, spans and verbatim alerts.")
  Path index;

  @Option(names = "--verbatim-words", paramLabel = "N", defaultValue = "40",
      description = "A verbatim_copy alert fires when a span grows longer than this many words (default: ${DEFAULT-VALUE}).")
  int verbatimWords;

  /** The attribution of the given index, or null without one. */
  AttributionScoring open(PrintStream out) {
    Path chosen = index;
    return chosen == null ? null : open(chosen, out);
  }

  AttributionScoring open(Path chosen, PrintStream out) {
    if (verbatimWords < 5) {
      throw new UserFacingException("--verbatim-words must be at least 5");
    }
    var idx = IndexCommand.open(chosen);
    out.printf("Attribution: index %s (%,d documents, %,d words); verbatim alerts above %d words%n", chosen, idx.documentCount(),
        idx.tokens(), verbatimWords);
    return new AttributionScoring(new StreamingMatcher(idx, MatchSettings.DEFAULTS.withVerbatimOver(verbatimWords)));
  }
}
