package io.driftwatch.attribution;

/**
 * Where a span of words occurs in the reference corpus.
 *
 * @param document the document's id in the index
 * @param documentName the document's name (its source path, or {@code file:line})
 * @param offset the position of the span's first word among the document's words, from 0
 */
public record Occurrence(int document, String documentName, int offset) {}
