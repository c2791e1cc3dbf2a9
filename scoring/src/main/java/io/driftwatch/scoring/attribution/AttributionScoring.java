package io.driftwatch.scoring.attribution;

import io.driftwatch.contract.Score;
import io.driftwatch.attribution.AttributionSummary;
import io.driftwatch.attribution.MatchListener;
import io.driftwatch.attribution.Occurrence;
import io.driftwatch.attribution.Span;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.attribution.VerbatimEvent;
import java.util.List;
import java.util.Map;

/**
 * Attribution for the scoring engine: feeds each generation's tokens, as words, to the streaming
 * matcher over the reference index, places what it finds on token seqs, and adds the attribution
 * scores to score records (docs/attribution.md). Stateless and shared; each generation's state is an
 * {@link AttributionTrack}.
 */
public final class AttributionScoring {

  /** What the matcher found, placed on tokens. {@code firstSeq} is -1 when no longer known. */
  public interface Findings {
    void span(Span span, long firstSeq, long lastSeq);

    void verbatim(VerbatimEvent event, long firstSeq, long lastSeq);
  }

  private final StreamingMatcher matcher;

  public AttributionScoring(StreamingMatcher matcher) {
    this.matcher = matcher;
  }

  public StreamingMatcher matcher() {
    return matcher;
  }

  public AttributionTrack start() {
    AttributionTrack track = new AttributionTrack();
    track.match = matcher.start();
    return track;
  }

  /** A token's text: completes words, which go to the matcher. */
  public void accept(AttributionTrack track, String text, long seq, Findings findings) {
    track.wordStream.feed(text, word -> append(track, word, seq, findings));
  }

  /** The end of the generation: the last word and the last span. */
  public void finish(AttributionTrack track, long seq, Findings findings) {
    track.wordStream.finish(word -> append(track, word, seq, findings));
    matcher.finish(track.match, listener(track, seq, findings));
  }

  private void append(AttributionTrack track, String word, long seq, Findings findings) {
    int n = matcher.append(track.match, word, listener(track, seq, findings));
    track.words++;
    track.wordSeqs.addLast(seq);
    // Keep seqs as far back as the match reaches (a span closing at the next word needs its start), but
    // no further than the matcher's window: a verbatim run can outgrow it (a copied book), and a span
    // longer than the window is then placed with firstSeq -1, as SpanRecord allows.
    int keep = Math.min(n, matcher.settings().window()) + 1;
    while (track.wordSeqs.size() > keep) {
      track.wordSeqs.removeFirst();
    }
  }

  private MatchListener listener(AttributionTrack track, long seq, Findings findings) {
    return new MatchListener() {
      @Override
      public void span(Span span) {
        track.mosaic.add(span.length(), span.listed().stream().map(Occurrence::documentName).toList(),
            matcher.settings().window());
        findings.span(span, seqOf(track, span.start()), seqOf(track, span.end() - 1));
      }

      @Override
      public void verbatim(VerbatimEvent event) {
        findings.verbatim(event, seqOf(track, event.start()), seq);
      }
    };
  }

  /** The seq at which word {@code word} completed, or -1 if it is no longer remembered. */
  private static long seqOf(AttributionTrack track, int word) {
    int first = track.words - track.wordSeqs.size();
    int i = word - first;
    if (i < 0 || i >= track.wordSeqs.size()) {
      return -1;
    }
    int k = 0;
    for (long s : track.wordSeqs) {
      if (k++ == i) {
        return s;
      }
    }
    return -1;
  }

  /** The attribution scores so far; left out before the first word. */
  public void putScores(AttributionTrack track, Map<String, Double> scores) {
    AttributionSummary s = matcher.summary(track.match);
    if (s.words() == 0) {
      return;
    }
    for (int length = AttributionSummary.MIN_LENGTH; length <= AttributionSummary.MAX_LENGTH; length++) {
      scores.put(Score.coverage(length).wireName(), s.coverage(length));
    }
    scores.put(Score.CREATIVITY_INDEX.wireName(), s.creativityIndex());
    scores.put(Score.LONGEST_VERBATIM_SPAN.wireName(), (double) s.longestSpan());
    scores.put(Score.SOURCE_DOCUMENTS.wireName(), (double) s.sourceDocuments());
    scores.put(Score.SOURCE_ENTROPY_BITS.wireName(), s.sourceEntropyBits());
    putMosaic(track.mosaic, scores);
  }

  /** The mosaic scores of the closed spans; the length quantiles need a span, the switch rate two. */
  static void putMosaic(SpanMosaic mosaic, Map<String, Double> scores) {
    scores.put(Score.VERBATIM_SPANS.wireName(), (double) mosaic.spans());
    if (mosaic.spans() > 0) {
      scores.put(Score.SPAN_LENGTH_MEDIAN.wireName(), mosaic.lengthQuantile(0.5));
      scores.put(Score.SPAN_LENGTH_P90.wireName(), mosaic.lengthQuantile(0.9));
    }
    if (mosaic.spans() > 1) {
      scores.put(Score.SOURCE_SWITCH_RATE.wireName(), mosaic.switchRate());
    }
  }

  /** The documents of a capped list of occurrences. */
  public static List<io.driftwatch.contract.SpanRecord.Source> sources(List<Occurrence> listed) {
    return listed.stream().map(o -> new io.driftwatch.contract.SpanRecord.Source(o.documentName(), o.offset())).toList();
  }
}
