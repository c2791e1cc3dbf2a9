package io.driftwatch.attribution;

/**
 * One reference document of an index.
 *
 * @param id the document's number, from 0 in the order documents were added
 * @param name where it came from: the file path, or {@code file:line} for a JSON Lines record, or the name
 *     given to {@link IndexBuilder#addText}
 * @param firstToken position of its first word in the index's token stream
 * @param words its number of words
 */
public record DocumentInfo(int id, String name, long firstToken, int words) {}
