package io.driftwatch.streams.view;

import java.util.ArrayList;
import java.util.List;

/**
 * Up to {@link #SIZE} consecutive tokens of a generation, as the mosaic shows them: sequence number,
 * text, and surprisal (−logprob, in nats; null when the producer sent no logprob).
 */
public record TokenChunk(List<Long> seq, List<String> text, List<Double> surprisal) {

  /**
   * Small, because a chunk is re-encoded whenever tokens were added to it: once per commit since the
   * view is written behind, at every token before, when a profile of 64 showed the chunk's encoding as
   * a seventh of the stream thread. 16 gives 1,024 entries for the longest generation the view keeps.
   */
  public static final int SIZE = 16;

  /**
   * Longest token text kept, in characters; longer ones end with an ellipsis. A token may carry up to
   * 65,536 characters, and a chunk of such tokens would outgrow what its changelog topic accepts.
   * At most 16 × 1,024 characters (48 KB of UTF-8) a chunk.
   */
  public static final int MAX_TEXT_CHARS = 1024;

  public static TokenChunk empty() {
    return new TokenChunk(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  }

  /** This chunk with one more token; the lists are copied, so a chunk read from a store is never changed in place. */
  public TokenChunk plus(long s, String t, Double logprob) {
    List<Long> seqs = new ArrayList<>(seq);
    List<String> texts = new ArrayList<>(text);
    List<Double> surprisals = new ArrayList<>(surprisal);
    seqs.add(s);
    texts.add(t == null || t.length() <= MAX_TEXT_CHARS ? t
        : t.substring(0, Character.isHighSurrogate(t.charAt(MAX_TEXT_CHARS - 2)) ? MAX_TEXT_CHARS - 2 : MAX_TEXT_CHARS - 1) + "…");
    surprisals.add(logprob == null || !Double.isFinite(logprob) ? null : -logprob);
    return new TokenChunk(seqs, texts, surprisals);
  }

  /**
   * The heap this chunk is taken to take while live: 112 bytes a token besides its text, characters as
   * two bytes each; above what 16 short tokens measured ({@code ViewHeapEstimateTest}).
   */
  long heapEstimate() {
    long bytes = 128;
    for (String t : text) {
      bytes += 112 + 2L * (t == null ? 0 : t.length());
    }
    return bytes;
  }

  public int size() {
    return seq.size();
  }
}
