package io.driftwatch.producers.replay;

import java.time.Instant;
import java.util.List;

/**
 * One generation read from an archive: where it came from, what was asked and what was generated.
 *
 * @param source file name and row (or stream) it came from: "file.jsonl:17"; deterministic, so replays
 *     of the same file can be compared
 * @param prompt the prompt, or null when the archive has none (captured streams)
 * @param model the model, or null
 * @param tokens the generated tokens, in order; their concatenation is the generated text
 * @param logprobs one logprob per token when the archive has them, else null
 * @param time when the generation happened, per the archive; null when it does not say
 * @param finishReason why it ended, per the archive; null when it does not say
 */
public record ArchivedGeneration(String source, String prompt, String model, List<String> tokens, List<Double> logprobs,
    Instant time, String finishReason) {

  public ArchivedGeneration {
    tokens = List.copyOf(tokens);
    if (logprobs != null && logprobs.size() != tokens.size()) {
      throw new IllegalArgumentException("one logprob per token: " + logprobs.size() + " for " + tokens.size() + " tokens");
    }
  }
}
