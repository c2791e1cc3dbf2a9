package io.driftwatch.benchmarks.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The score families a {@code bench pipeline} run can enable, alone or together: lexical (lexical,
 * referential, degeneration and fluency scores), attribution (against a reference index) and semantic
 * (sentence embeddings); and lexical + attribution with the web view, whose cost it shows. Sentences
 * are cut in every run.
 */
public enum BenchFamily {
  LEXICAL("lexical", "lexical scores only", true, false, false, false),
  ATTRIBUTION("attribution", "attribution only", false, true, false, false),
  LEXICAL_ATTRIBUTION("lexical+attribution", "lexical scores + attribution", true, true, false, false),
  LEXICAL_ATTRIBUTION_VIEW("lexical+attribution+view", "lexical + attribution, with the web view", true, true, false, true),
  SEMANTIC("semantic", "semantic scores only", false, false, true, false),
  ALL("all", "all scores (lexical, attribution, semantic)", true, true, true, false);

  final String label;
  final String description;
  final boolean lexical;
  final boolean attribution;
  final boolean semantic;
  /** The web view's stores and processing on (as in `run` and `demo`), to measure what they cost. */
  final boolean view;

  BenchFamily(String label, String description, boolean lexical, boolean attribution, boolean semantic, boolean view) {
    this.label = label;
    this.description = description;
    this.lexical = lexical;
    this.attribution = attribution;
    this.semantic = semantic;
    this.view = view;
  }

  public static String labels() {
    return String.join(",", Arrays.stream(values()).map(f -> f.label).toList());
  }

  /**
   * The families named in a comma-separated list, in the order of this enum. Without semantic scoring
   * (no model), an explicit list naming a semantic family is an error; the default list drops them.
   *
   * @throws IllegalArgumentException naming the unknown or unavailable family, in the words of the
   *     {@code bench pipeline} options
   */
  public static List<BenchFamily> parse(String list, boolean semanticAvailable) {
    Set<BenchFamily> chosen = new LinkedHashSet<>();
    for (String name : (list == null ? labels() : list).split(",")) {
      String wanted = name.strip().toLowerCase(Locale.ROOT);
      BenchFamily family = Arrays.stream(values()).filter(f -> f.label.equals(wanted)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown score family '" + name.strip() + "' in --families; known: " + labels()));
      if (family.semantic && !semanticAvailable) {
        if (list != null) {
          throw new IllegalArgumentException("--families " + family.label + " needs the semantic scores; leave out --no-semantic");
        }
        continue;
      }
      chosen.add(family);
    }
    List<BenchFamily> ordered = new ArrayList<>(Arrays.asList(values()));
    ordered.retainAll(chosen);
    return ordered;
  }
}
