package io.driftwatch.producers.replay;

import java.util.List;

/**
 * Which JSON fields of a row hold what. Each list is tried in order; the first field present wins. The
 * defaults cover the common shapes of published generation datasets.
 */
public record RowFields(List<String> prompt, List<String> text, List<String> model, List<String> time) {

  public static final RowFields DEFAULTS = new RowFields(
      List.of("prompt", "input", "question", "instruction", "context"),
      List.of("completion", "text", "generation", "output", "response", "generated_text", "answer"),
      List.of("model", "model_name"),
      List.of("timestamp", "created_at", "created", "time"));

  public RowFields withPrompt(String field) {
    return new RowFields(List.of(field), text, model, time);
  }

  public RowFields withText(String field) {
    return new RowFields(prompt, List.of(field), model, time);
  }

  public RowFields withModel(String field) {
    return new RowFields(prompt, text, List.of(field), time);
  }

  public RowFields withTime(String field) {
    return new RowFields(prompt, text, model, List.of(field));
  }
}
