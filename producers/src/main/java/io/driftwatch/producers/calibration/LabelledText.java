package io.driftwatch.producers.calibration;

/**
 * One text of the calibration set: a prompt, the generation that follows it, and what it is.
 *
 * @param id stable identifier (also the generation id when the text is scored)
 * @param genre where the text comes from (a book's genre, or a kind of structured output)
 * @param scenario {@code steady}, {@code splice}, {@code name-swap}, {@code loop}, {@code legit-repetition}
 *     or {@code verbatim}
 * @param prompt what the generation continues
 * @param text the generation
 * @param changeAt character offset in {@code text} where the alteration begins (the splice point, the
 *     first swapped name, the start of the loop or paste); -1 for texts left as they were
 * @param holdout whether the text belongs to the held-out half (reported on, never tuned on)
 */
public record LabelledText(String id, String genre, String scenario, String prompt, String text, int changeAt, boolean holdout) {

  public LabelledText {
    if (changeAt < -1 || changeAt > text.length()) {
      throw new IllegalArgumentException("change offset " + changeAt + " outside the text of " + id);
    }
  }

  public boolean altered() {
    return changeAt >= 0;
  }
}
