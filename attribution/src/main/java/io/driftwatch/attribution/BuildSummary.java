package io.driftwatch.attribution;

/**
 * What an index build produced.
 *
 * @param documents documents indexed
 * @param words word tokens indexed
 * @param vocabulary distinct words
 * @param skippedRecords JSON Lines records without a string value in the text field, left out
 * @param bytesOnDisk total size of the index files
 * @param seconds wall-clock time from the builder's creation to the end of the build
 */
public record BuildSummary(int documents, long words, int vocabulary, long skippedRecords, long bytesOnDisk,
    double seconds) {

  /** Index size per indexed word. */
  public double bytesPerWord() {
    return words == 0 ? 0 : (double) bytesOnDisk / words;
  }
}
