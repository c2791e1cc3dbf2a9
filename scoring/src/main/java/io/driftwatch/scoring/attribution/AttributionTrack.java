package io.driftwatch.scoring.attribution;

import io.driftwatch.attribution.MatchState;
import io.driftwatch.attribution.MatchStateCodec;
import io.driftwatch.attribution.WordStream;
import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayDeque;

/**
 * One generation's attribution state: the matcher's state, the text of a word not yet complete, and
 * the token seq at which each of the last words completed, kept only as far back as the current match
 * reaches (and at most the matcher's window plus one: 1,025 by default), so that spans can be placed on
 * tokens.
 */
public final class AttributionTrack {

  MatchState match;
  /**
   * The text of a word not yet complete, held by the stream that cuts the tokens into words: kept live
   * rather than rebuilt from its text at every token, which cost an object and a copy per token.
   */
  WordStream wordStream = new WordStream();
  /** Seqs of the last words, the newest last; the first is word number {@code words - wordSeqs.size()}. */
  ArrayDeque<Long> wordSeqs = new ArrayDeque<>();
  int words;
  /** The closed spans' lengths and sources, for the mosaic scores. */
  SpanMosaic mosaic = new SpanMosaic();

  /** The closed spans' mosaic so far. */
  public SpanMosaic mosaic() {
    return mosaic;
  }

  /**
   * Writes the track, in the order {@link #readFrom} reads it. The matcher's state goes in as the
   * bytes of its own codec: it belongs to the attribution module, which keeps its fields to itself,
   * versions that form on its own, and refuses a state of another index when it is used.
   */
  public void writeTo(StateOutput out) {
    out.bool(match != null);
    if (match != null) {
      out.bytes(MatchStateCodec.encode(match));
    }
    out.string(wordStream.pending());
    out.varint(wordSeqs.size());
    for (long seq : wordSeqs) {
      out.signed(seq);
    }
    out.signed(words);
    mosaic.writeTo(out);
  }

  /** A track in the state that {@link #writeTo} wrote. */
  public static AttributionTrack readFrom(StateInput in) {
    AttributionTrack t = new AttributionTrack();
    t.match = in.bool() ? MatchStateCodec.decode(in.bytes()) : null;
    t.wordStream = new WordStream(in.string());
    int n = in.count();
    for (int i = 0; i < n; i++) {
      t.wordSeqs.add(in.signed());
    }
    t.words = in.signedInt();
    t.mosaic = SpanMosaic.readFrom(in);
    return t;
  }
}
