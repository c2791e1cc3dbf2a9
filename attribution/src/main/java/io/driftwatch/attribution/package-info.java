/**
 * Attribution: which spans of a generated text occur verbatim in a set of reference documents, computed
 * word by word as the text streams in. Plain Java, no Kafka and no third-party libraries.
 *
 * <ul>
 *   <li>{@link io.driftwatch.attribution.WordTokenizer} and {@link io.driftwatch.attribution.WordStream}:
 *       the word-level normalisation shared by documents and generations (rules in the tokenizer's
 *       documentation and the module README).
 *   <li>{@link io.driftwatch.attribution.IndexBuilder} writes an index directory: the documents' word ids,
 *       their suffix array (SA-IS), a bigram table, the vocabulary and the document table, plus a versioned
 *       header. {@link io.driftwatch.attribution.AttributionIndex} memory-maps it, read-only and shared by
 *       threads: counts, longest matches, occurrences.
 *   <li>{@link io.driftwatch.attribution.StreamingMatcher} follows one generation at a time through a
 *       small serialisable {@link io.driftwatch.attribution.MatchState}: the effective n at each word,
 *       maximal spans with their sources, verbatim-copy events, coverage at span lengths 5 to 12, the
 *       creativity index and the entropy of the sources ({@link io.driftwatch.attribution.AttributionSummary}).
 * </ul>
 */
package io.driftwatch.attribution;
