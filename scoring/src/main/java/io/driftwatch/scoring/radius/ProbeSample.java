package io.driftwatch.scoring.radius;

import java.util.List;

/**
 * One generation to probe: the tokens that preceded its scored part (prompt, then the generated prefix)
 * and the scored part itself, its last generated tokens.
 *
 * @param id the generation's id, for the report
 * @param model the model that generated it; the radius is aggregated per model
 * @param context everything before the target, oldest first; truncation keeps its last m tokens
 * @param target the generated tokens whose loss is measured
 */
public record ProbeSample(String id, String model, List<String> context, List<String> target) {

  public ProbeSample {
    context = List.copyOf(context);
    target = List.copyOf(target);
    if (context.isEmpty()) {
      throw new IllegalArgumentException(id + ": no context before the probed tokens");
    }
    if (target.isEmpty()) {
      throw new IllegalArgumentException(id + ": no generated tokens to probe");
    }
  }

  /**
   * The prompt that shows the model the last {@code m} context tokens, then the first {@code scored}
   * target tokens.
   */
  public Prompt prompt(int m, int scored) {
    if (m < 1 || m > context.size()) {
      throw new IllegalArgumentException("context of " + m + " tokens asked of " + context.size());
    }
    if (scored < 1 || scored > target.size()) {
      throw new IllegalArgumentException(scored + " scored tokens asked of " + target.size());
    }
    String kept = String.join("", context.subList(context.size() - m, context.size()));
    String scoredText = String.join("", target.subList(0, scored));
    if (scoredText.isEmpty()) {
      throw new IllegalArgumentException(id + ": the probed tokens are empty strings");
    }
    return new Prompt(kept + scoredText, kept.codePointCount(0, kept.length()),
        scoredText.codePointCount(0, scoredText.length()), m + scored);
  }

  /**
   * A completion prompt.
   *
   * @param text what is sent
   * @param targetStart where the scored text starts in {@code text}, in code points (the unit of the
   *     completions API's {@code text_offset})
   * @param targetLength the scored text's length in code points; it runs to the end of {@code text}
   * @param tokens its length in the sample's tokens: what it costs against the token budget
   */
  public record Prompt(String text, int targetStart, int targetLength, int tokens) {}
}
