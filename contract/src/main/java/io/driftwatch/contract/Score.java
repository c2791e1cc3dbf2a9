package io.driftwatch.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every score a {@link ScoreRecord} can carry: its name on the wire, what computes it, which way is worse,
 * its range and unit, and a one-line help used wherever it is shown (metrics, web view, CLI). docs/scores.md
 * and docs/attribution.md say how each is computed; a test checks they name every score here.
 *
 * <p>Besides these names a record carries names derived from the {@linkplain #alertable() alertable} scores:
 * the summary's generation maximum {@code max_<score>} and, once the model's baseline is ready, the
 * percentiles {@code <score>_pct} and {@code max_<score>_pct}. {@link #isKnown} accepts exactly these.
 */
public enum Score {
  SENTENCE_COHERENCE("sentence_coherence", Family.LEXICAL, Direction.LOWER_IS_WORSE, 0, 1, "",
      "Lexical coherence of the sentence with the two before it (0 to 1)"),
  LOCAL_COHERENCE("local_coherence", Family.LEXICAL, Direction.LOWER_IS_WORSE, 0, 1, "",
      "Rolling lexical local coherence (0 to 1)"),
  GLOBAL_COMMITMENT("global_commitment", Family.LEXICAL, Direction.LOWER_IS_WORSE, 0, 1, "",
      "Rolling lexical global commitment (0 to 1)"),
  DRIFT_INDEX("drift_index", Family.LEXICAL, Direction.HIGHER_IS_WORSE, -1, 1, "",
      "Drift index, local coherence minus global commitment (-1 to 1)", true),
  REFERENTIAL_DRIFT("referential_drift", Family.LEXICAL, Direction.HIGHER_IS_WORSE, 0, 1, "",
      "Referential drift (0 to 1)", true),
  REF_CONTINUATION("ref_continuation", Family.LEXICAL, Direction.LOWER_IS_WORSE, 0, 1, "",
      "Share of mentions, pronouns included, that continue committed entities (0 to 1)"),
  REF_ABANDONED("ref_abandoned", Family.LEXICAL, Direction.HIGHER_IS_WORSE, 0, 1, "",
      "Share of committed entities no longer mentioned (0 to 1)"),
  REF_NEW_ENTITIES("ref_new_entities", Family.LEXICAL, Direction.HIGHER_IS_WORSE, 0, 1, "",
      "Share of entity mentions that are of entities not committed to (0 to 1)"),
  ENTITY_SHIFT("entity_shift", Family.LEXICAL, Direction.HIGHER_IS_WORSE, 0, 1, "",
      "Entity shift (0 to 1): how completely the named entities were replaced at the best change point", true),
  ENTITY_SHIFT_AT("entity_shift_at", Family.LEXICAL, Direction.NEITHER, 0, Double.POSITIVE_INFINITY, "seq",
      "First token of the first sentence after the entity shift's change point"),
  REPETITION_RATE("repetition_rate", Family.LEXICAL, Direction.HIGHER_IS_WORSE, 0, 1, "",
      "Rolling repeated n-gram rate (0 to 1)"),
  LOOP_REPEATS("loop_repeats", Family.LEXICAL, Direction.HIGHER_IS_WORSE, 1, Double.POSITIVE_INFINITY, "repeats",
      "Times in a row the latest span of text is said (1 = no loop)", true),
  LOOP_PERIOD("loop_period", Family.LEXICAL, Direction.NEITHER, 1, Double.POSITIVE_INFINITY, "tokens",
      "Length in tokens of the repeating span, during a loop"),
  SURPRISAL_MEAN("surprisal_mean", Family.LEXICAL, Direction.HIGHER_IS_WORSE, 0, Double.POSITIVE_INFINITY, "nats",
      "Rolling mean token surprisal in nats, when producers send logprobs"),
  SURPRISAL_TREND("surprisal_trend", Family.LEXICAL, Direction.HIGHER_IS_WORSE, Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY, "nats/token", "Slope of token surprisal over the surprisal window, when producers send logprobs"),
  TOKENS_PER_SECOND("tokens_per_second", Family.TIMING, Direction.NEITHER, 0, Double.POSITIVE_INFINITY, "tokens/s",
      "Generation speed in tokens per second of event time"),
  SENTENCE_SEMANTIC_COHERENCE("sentence_semantic_coherence", Family.SEMANTIC, Direction.LOWER_IS_WORSE, -1, 1, "cosine",
      "Cosine of the sentence's embedding with the previous sentence's"),
  SEMANTIC_LOCAL_COHERENCE("semantic_local_coherence", Family.SEMANTIC, Direction.LOWER_IS_WORSE, -1, 1, "cosine",
      "Rolling semantic local coherence (cosine of consecutive sentence embeddings)"),
  SEMANTIC_GLOBAL_COMMITMENT("semantic_global_commitment", Family.SEMANTIC, Direction.LOWER_IS_WORSE, -1, 1, "cosine",
      "Rolling semantic global commitment (cosine of sentences to the prompt-and-opening anchor)"),
  SEMANTIC_DRIFT_INDEX("semantic_drift_index", Family.SEMANTIC, Direction.HIGHER_IS_WORSE, -2, 2, "",
      "Semantic drift index, semantic local coherence minus semantic global commitment", true),
  SENTENCE_COHERENCE_RADIUS("sentence_coherence_radius", Family.SEMANTIC, Direction.LOWER_IS_WORSE, 0,
      Double.POSITIVE_INFINITY, "tokens",
      "Effective coherence radius of the sentence in tokens: how far back the text stays similar to it"),
  COHERENCE_RADIUS("coherence_radius", Family.SEMANTIC, Direction.LOWER_IS_WORSE, 0, Double.POSITIVE_INFINITY, "tokens",
      "Rolling median of the sentences' coherence radius, in tokens"),
  TOPIC_SHIFT("topic_shift", Family.SEMANTIC, Direction.HIGHER_IS_WORSE, -1, Double.POSITIVE_INFINITY, "",
      "Topic shift, the best change point's scaled energy statistic over sentence embeddings", true),
  TOPIC_SHIFT_AT("topic_shift_at", Family.SEMANTIC, Direction.NEITHER, 0, Double.POSITIVE_INFINITY, "seq",
      "First token of the first sentence after the topic shift's change point"),
  NEIGHBOUR_SHIFT("neighbour_shift", Family.SEMANTIC, Direction.HIGHER_IS_WORSE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "",
      "Neighbour shift, the best split's excess of same-side nearest-neighbour links over a random division, over sentence embeddings", true),
  NEIGHBOUR_SHIFT_AT("neighbour_shift_at", Family.SEMANTIC, Direction.NEITHER, 0, Double.POSITIVE_INFINITY, "seq",
      "First token of the first sentence after the neighbour shift's change point"),
  MEAN_SENTENCE_COHERENCE("mean_sentence_coherence", Family.LEXICAL, Direction.LOWER_IS_WORSE, 0, 1, "",
      "Mean lexical coherence of the generation's sentences (0 to 1), on summaries"),
  GENERATION_SURPRISAL_MEAN("generation_surprisal_mean", Family.LEXICAL, Direction.HIGHER_IS_WORSE, 0,
      Double.POSITIVE_INFINITY, "nats", "Mean surprisal in nats over every token of the generation that had a logprob, on summaries"),
  COVERAGE_5("coverage_5", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0, 1, "", coverageHelp(5)),
  COVERAGE_6("coverage_6", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0, 1, "", coverageHelp(6)),
  COVERAGE_7("coverage_7", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0, 1, "", coverageHelp(7)),
  COVERAGE_8("coverage_8", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0, 1, "", coverageHelp(8)),
  COVERAGE_9("coverage_9", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0, 1, "", coverageHelp(9)),
  COVERAGE_10("coverage_10", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0, 1, "", coverageHelp(10)),
  COVERAGE_11("coverage_11", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0, 1, "", coverageHelp(11)),
  COVERAGE_12("coverage_12", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0, 1, "", coverageHelp(12)),
  CREATIVITY_INDEX("creativity_index", Family.ATTRIBUTION, Direction.LOWER_IS_WORSE, 0, 8, "",
      "Creativity index (sum over L = 5..12 of 1 - coverage_L, 0 to 8)"),
  LONGEST_VERBATIM_SPAN("longest_verbatim_span", Family.ATTRIBUTION, Direction.HIGHER_IS_WORSE, 0,
      Double.POSITIVE_INFINITY, "words", "Longest verbatim match with the reference corpus, in words"),
  SOURCE_DOCUMENTS("source_documents", Family.ATTRIBUTION, Direction.NEITHER, 0, Double.POSITIVE_INFINITY, "documents",
      "Distinct reference documents among the listed occurrences of verbatim spans"),
  SOURCE_ENTROPY_BITS("source_entropy_bits", Family.ATTRIBUTION, Direction.NEITHER, 0, Double.POSITIVE_INFINITY, "bits",
      "Entropy in bits of the verbatim words' split among reference documents"),
  VERBATIM_SPANS("verbatim_spans", Family.ATTRIBUTION, Direction.NEITHER, 0, Double.POSITIVE_INFINITY, "spans",
      "Maximal verbatim spans of 5 words or more closed so far"),
  SPAN_LENGTH_MEDIAN("span_length_median", Family.ATTRIBUTION, Direction.NEITHER, 1, Double.POSITIVE_INFINITY, "words",
      "Median length of the closed verbatim spans, in words (nearest rank)"),
  SPAN_LENGTH_P90("span_length_p90", Family.ATTRIBUTION, Direction.NEITHER, 1, Double.POSITIVE_INFINITY, "words",
      "90th percentile of the lengths of the closed verbatim spans, in words (nearest rank)"),
  SOURCE_SWITCH_RATE("source_switch_rate", Family.ATTRIBUTION, Direction.NEITHER, 0, 1, "",
      "Share of consecutive verbatim spans whose listed documents have none in common (0 to 1)");

  /** What computes a score, and so when a record has it. */
  public enum Family {
    /** Words, entities and tokens; no model. Off only when the engine's lexical scores are off. */
    LEXICAL,
    /** Sentence embeddings: needs the embedding model, absent with {@code --no-semantic}. */
    SEMANTIC,
    /** Event times only: always computed. */
    TIMING,
    /** Verbatim matches against a reference index: only with one. */
    ATTRIBUTION
  }

  /** Which way a score moves when the text gets worse (drifts, loops, copies). */
  public enum Direction {
    HIGHER_IS_WORSE,
    LOWER_IS_WORSE,
    /** A position, a length or a rate that describes the text but is neither good nor bad. */
    NEITHER
  }

  /** Prefix of the summary's generation-level maximum of an alertable score: {@code max_topic_shift}. */
  public static final String MAX_PREFIX = "max_";
  /** Suffix of a score's percentile against the model's baseline: {@code topic_shift_pct}. */
  public static final String PERCENTILE_SUFFIX = "_pct";
  /**
   * Suffix of the score holding the first token of the change another score measures
   * ({@code topic_shift_at}): alerts on that score start at that token.
   */
  public static final String ONSET_SUFFIX = "_at";

  private static final Map<String, Score> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Score::wireName, Function.identity()));
  private static final List<Score> ALERTABLE = Arrays.stream(values()).filter(Score::isAlertable).toList();

  private final String wireName;
  private final Family family;
  private final Direction direction;
  private final double min;
  private final double max;
  private final String unit;
  private final String help;
  private final boolean alertable;

  Score(String wireName, Family family, Direction direction, double min, double max, String unit, String help) {
    this(wireName, family, direction, min, max, unit, help, false);
  }

  Score(String wireName, Family family, Direction direction, double min, double max, String unit, String help,
      boolean alertable) {
    this.wireName = wireName;
    this.family = family;
    this.direction = direction;
    this.min = min;
    this.max = max;
    this.unit = unit;
    this.help = help;
    this.alertable = alertable;
  }

  private static String coverageHelp(int words) {
    return "Share of the generation's words inside a verbatim match of " + words
        + " words or more with the reference corpus (0 to 1)";
  }

  /** The key in {@link ScoreRecord#scores()}. */
  public String wireName() {
    return wireName;
  }

  public Family family() {
    return family;
  }

  /** Whether the score needs the embedding model. */
  public boolean isSemantic() {
    return family == Family.SEMANTIC;
  }

  public Direction direction() {
    return direction;
  }

  /** Smallest value the score can take; negative infinity when unbounded. */
  public double min() {
    return min;
  }

  /** Largest value the score can take; positive infinity when unbounded. */
  public double max() {
    return max;
  }

  /** Unit of the value ("tokens", "nats", "seq" for a token's position...), empty for a plain number or share. */
  public String unit() {
    return unit;
  }

  /** One line saying what the score is, without a final period. */
  public String help() {
    return help;
  }

  /**
   * Whether each model gets a baseline of the score: the summary carries its generation maximum
   * ({@link #maxName()}), which the baseline learns, and records carry its percentiles once the baseline is ready.
   */
  public boolean isAlertable() {
    return alertable;
  }

  /** The summary's generation maximum of this score, {@code max_<score>}. */
  public String maxName() {
    return MAX_PREFIX + wireName;
  }

  /** The alertable scores, in declaration order. */
  public static List<Score> alertable() {
    return ALERTABLE;
  }

  /** The score with this wire name, if it is one (derived names such as {@code max_...} are not). */
  public static Optional<Score> byWireName(String name) {
    return Optional.ofNullable(BY_WIRE_NAME.get(name));
  }

  /** The score {@code coverage_<words>}: the attribution coverage of matches of that many words or more. */
  public static Score coverage(int words) {
    Score score = BY_WIRE_NAME.get("coverage_" + words);
    if (score == null || score.family != Family.ATTRIBUTION) {
      throw new IllegalArgumentException("no coverage score for " + words + " words");
    }
    return score;
  }

  /** The name of the score holding where the change measured by {@code scoreName} began. */
  public static String onsetName(String scoreName) {
    return scoreName + ONSET_SUFFIX;
  }

  /**
   * Whether a score record can carry a value under this name: a score's wire name, or an alertable score's
   * {@code max_<score>}, {@code <score>_pct} or {@code max_<score>_pct}.
   */
  public static boolean isKnown(String name) {
    if (name == null) {
      return false;
    }
    if (BY_WIRE_NAME.containsKey(name)) {
      return true;
    }
    String base = name.endsWith(PERCENTILE_SUFFIX) ? name.substring(0, name.length() - PERCENTILE_SUFFIX.length()) : name;
    if (base.startsWith(MAX_PREFIX)) {
      base = base.substring(MAX_PREFIX.length());
    }
    Score score = BY_WIRE_NAME.get(base);
    return score != null && score.alertable && !base.equals(name);
  }
}
