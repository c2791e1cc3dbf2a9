package io.driftwatch.producers.tap;

import io.driftwatch.contract.GenerationEvent;
import java.util.List;

/** One token as the tap read it from a response: its text and, when the API returned them, its logprobs. */
record TokenPiece(String text, Double logprob, List<GenerationEvent.TopLogprob> topLogprobs) {

  public TokenPiece {
    topLogprobs = topLogprobs == null || topLogprobs.isEmpty() ? null : List.copyOf(topLogprobs);
  }

  static TokenPiece plain(String text) {
    return new TokenPiece(text, null, null);
  }
}
