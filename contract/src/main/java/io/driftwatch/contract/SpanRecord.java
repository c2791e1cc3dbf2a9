package io.driftwatch.contract;

import java.time.Instant;
import java.util.List;

/**
 * A record on the spans topic: a maximal span of a generation that occurs verbatim in the reference
 * corpus (attribution; docs/attribution.md).
 *
 * @param startWord position of its first word among the generation's words (normalised as in the index), from 0
 * @param endWord position after its last word
 * @param length its length in words
 * @param firstSeq token seq at which its first word completed, or -1 when no longer known
 * @param lastSeq token seq at which its last word completed
 * @param occurrences how many times it occurs in the corpus
 * @param sources where: a capped list of documents and word offsets
 * @param eventTime event time of the token that closed it
 */
public record SpanRecord(
    Integer v,
    String generationId,
    String runId,
    String model,
    int startWord,
    int endWord,
    int length,
    long firstSeq,
    long lastSeq,
    long occurrences,
    List<Source> sources,
    Instant eventTime) {

  public SpanRecord {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /** One occurrence of a span in the reference corpus. */
  public record Source(String document, int offset) {}
}
