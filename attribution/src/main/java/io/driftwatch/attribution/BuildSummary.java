package io.driftwatch.attribution;

/**
 * What an index build produced.
 *
 * @param documents documents indexed
 * @param tokens word tokens indexed
 * @param vocabulary distinct words
 * @param skippedRecords JSON Lines records without a string value in the text field, left out
 * @param bytesOnDisk total size of the index files
 * @param seconds wall-clock time from the builder's creation to the end of the build
 */
public record BuildSummary(int documents, long tokens, int vocabulary, long skippedRecords, long bytesOnDisk,
    double seconds) {

  /** Index size per indexed word token. */
  public double bytesPerToken() {
    return tokens == 0 ? 0 : (double) bytesOnDisk / tokens;
  }
}
