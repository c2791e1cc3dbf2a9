package io.driftwatch.scoring.engine;

import io.driftwatch.scoring.alert.AlertTracker;
import io.driftwatch.scoring.attribution.AttributionTrack;
import io.driftwatch.scoring.coherence.GlobalCommitment;
import io.driftwatch.scoring.coherence.LexicalCoherence;
import io.driftwatch.scoring.degeneration.Degeneration;
import io.driftwatch.scoring.fluency.SurprisalWindow;
import io.driftwatch.scoring.reference.EntityTracker;
import io.driftwatch.scoring.semantic.SemanticCoherence;
import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import io.driftwatch.scoring.text.SentenceSegmenter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.TreeSet;

/**
 * Everything the engine remembers about one open generation: what the state store keeps, in the form
 * of {@link StateCodec}. Every part is bounded by the settings (windows of k sentences or W tokens,
 * capped entity table and anchor), so its size does not grow with the generation's length; see
 * docs/scores.md.
 */
public final class GenerationState {

  String generationId;
  String runId;
  String model;
  boolean started;
  TreeSet<String> flags = new TreeSet<>();
  long lastSeq = -1;
  long tokens;
  Instant firstEventTime;
  Instant lastEventTime;

  SentenceSegmenter segmenter = new SentenceSegmenter();
  LexicalCoherence coherence = new LexicalCoherence();
  GlobalCommitment commitment = new GlobalCommitment();
  EntityTracker entities = new EntityTracker();
  SurprisalWindow surprisal = new SurprisalWindow();
  Degeneration degeneration = new Degeneration();
  AlertTracker alerts = new AlertTracker();
  SemanticCoherence semantic = new SemanticCoherence();
  /** Attribution against the reference index; null when the engine has no index. */
  AttributionTrack attribution;

  /** Texts waiting for their embeddings, in order (semantic scoring only). */
  ArrayList<PendingText> pending = new ArrayList<>();
  /** Set when the generation ended while texts were still waiting: it closes once they are scored. */
  String closeReason;

  /** Generation-level aggregates for the summary. */
  double maxDriftIndex = Double.NaN;
  double maxReferentialDrift = Double.NaN;
  double maxLoopRepeats = Double.NaN;
  double maxSemanticDriftIndex = Double.NaN;
  double maxTopicShift = Double.NaN;
  double maxEntityShift = Double.NaN;
  /** Surprisal (−logprob, nats) summed over every token that had a logprob, and their count. */
  double surprisalSum;
  long surprisalCount;
  double sumSentenceCoherence;
  int countSentenceCoherence;
  long firstSentenceSeq = -1;

  GenerationState() {}

  GenerationState(String generationId) {
    this.generationId = generationId;
  }

  public String generationId() {
    return generationId;
  }

  public String model() {
    return model;
  }

  public long tokens() {
    return tokens;
  }

  public Instant lastEventTime() {
    return lastEventTime;
  }

  /** Writes every field, each scorer by its own {@code writeTo}, in the order {@link #readFrom} reads them. */
  void writeTo(StateOutput out) {
    out.string(generationId);
    out.string(runId);
    out.string(model);
    out.bool(started);
    out.strings(flags);
    out.signed(lastSeq);
    out.signed(tokens);
    out.instant(firstEventTime);
    out.instant(lastEventTime);
    segmenter.writeTo(out);
    coherence.writeTo(out);
    commitment.writeTo(out);
    entities.writeTo(out);
    surprisal.writeTo(out);
    degeneration.writeTo(out);
    alerts.writeTo(out);
    semantic.writeTo(out);
    out.bool(attribution != null);
    if (attribution != null) {
      attribution.writeTo(out);
    }
    out.varint(pending.size());
    for (PendingText p : pending) {
      p.writeTo(out);
    }
    out.string(closeReason);
    out.float64(maxDriftIndex);
    out.float64(maxReferentialDrift);
    out.float64(maxLoopRepeats);
    out.float64(maxSemanticDriftIndex);
    out.float64(maxTopicShift);
    out.float64(maxEntityShift);
    out.float64(surprisalSum);
    out.signed(surprisalCount);
    out.float64(sumSentenceCoherence);
    out.signed(countSentenceCoherence);
    out.signed(firstSentenceSeq);
  }

  /** A state as {@link #writeTo} wrote it. */
  static GenerationState readFrom(StateInput in) {
    GenerationState s = new GenerationState();
    s.generationId = in.string();
    s.runId = in.string();
    s.model = in.string();
    s.started = in.bool();
    in.strings(s.flags);
    s.lastSeq = in.signed();
    s.tokens = in.signed();
    s.firstEventTime = in.instant();
    s.lastEventTime = in.instant();
    s.segmenter = SentenceSegmenter.readFrom(in);
    s.coherence = LexicalCoherence.readFrom(in);
    s.commitment = GlobalCommitment.readFrom(in);
    s.entities = EntityTracker.readFrom(in);
    s.surprisal = SurprisalWindow.readFrom(in);
    s.degeneration = Degeneration.readFrom(in);
    s.alerts = AlertTracker.readFrom(in);
    s.semantic = SemanticCoherence.readFrom(in);
    s.attribution = in.bool() ? AttributionTrack.readFrom(in) : null;
    int pending = in.count();
    for (int i = 0; i < pending; i++) {
      s.pending.add(PendingText.readFrom(in));
    }
    s.closeReason = in.string();
    s.maxDriftIndex = in.float64();
    s.maxReferentialDrift = in.float64();
    s.maxLoopRepeats = in.float64();
    s.maxSemanticDriftIndex = in.float64();
    s.maxTopicShift = in.float64();
    s.maxEntityShift = in.float64();
    s.surprisalSum = in.float64();
    s.surprisalCount = in.signed();
    s.sumSentenceCoherence = in.float64();
    s.countSentenceCoherence = in.signedInt();
    s.firstSentenceSeq = in.signed();
    return s;
  }
}
