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

  // Set by the constructors: fresh, or as read from a stored state, so that a decode builds each once.
  SentenceSegmenter segmenter;
  LexicalCoherence coherence;
  GlobalCommitment commitment;
  EntityTracker entities;
  SurprisalWindow surprisal;
  Degeneration degeneration;
  AlertTracker alerts;
  SemanticCoherence semantic;
  /** Attribution against the reference index; null when the engine has no index. */
  AttributionTrack attribution;

  /** Texts waiting for their embeddings, in order (semantic scoring only). */
  ArrayList<PendingText> pending = new ArrayList<>();
  /** Set when the generation ended while texts were still waiting: it closes once they are scored. */
  String closeReason;
  /** Decided when the generation appeared: scored without semantic scores, as the model could not keep up. */
  boolean semanticShed;

  /** Generation-level aggregates for the summary. */
  double maxDriftIndex = Double.NaN;
  double maxReferentialDrift = Double.NaN;
  double maxLoopRepeats = Double.NaN;
  double maxSemanticDriftIndex = Double.NaN;
  double maxTopicShift = Double.NaN;
  double maxNeighbourShift = Double.NaN;
  double maxEntityShift = Double.NaN;
  /** Surprisal (−logprob, nats) summed over every token that had a logprob, and their count. */
  double surprisalSum;
  long surprisalCount;
  double sumSentenceCoherence;
  int countSentenceCoherence;
  long firstSentenceSeq = -1;

  /**
   * Bytes of this state's latest encoding or decoding by {@link StateCodec}, 0 before either; not part
   * of the state. What a live state is weighed by where memory for live states is budgeted.
   */
  int encodedBytes;

  GenerationState(String generationId) {
    this.generationId = generationId;
    segmenter = new SentenceSegmenter();
    coherence = new LexicalCoherence();
    commitment = new GlobalCommitment();
    entities = new EntityTracker();
    surprisal = new SurprisalWindow();
    degeneration = new Degeneration();
    alerts = new AlertTracker();
    semantic = new SemanticCoherence();
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

  /** Bytes of this state's latest encoding (or of the bytes it was decoded from); 0 before either. */
  public int encodedBytes() {
    return encodedBytes;
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
    out.bool(semanticShed);
    out.float64(maxDriftIndex);
    out.float64(maxReferentialDrift);
    out.float64(maxLoopRepeats);
    out.float64(maxSemanticDriftIndex);
    out.float64(maxTopicShift);
    out.float64(maxNeighbourShift);
    out.float64(maxEntityShift);
    out.float64(surprisalSum);
    out.signed(surprisalCount);
    out.float64(sumSentenceCoherence);
    out.signed(countSentenceCoherence);
    out.signed(firstSentenceSeq);
  }

  /** A state as {@link #writeTo} wrote it. */
  static GenerationState readFrom(StateInput in) {
    return new GenerationState(in);
  }

  private GenerationState(StateInput in) {
    generationId = in.string();
    runId = in.string();
    model = in.string();
    started = in.bool();
    in.strings(flags);
    lastSeq = in.signed();
    tokens = in.signed();
    firstEventTime = in.instant();
    lastEventTime = in.instant();
    segmenter = SentenceSegmenter.readFrom(in);
    coherence = LexicalCoherence.readFrom(in);
    commitment = GlobalCommitment.readFrom(in);
    entities = EntityTracker.readFrom(in);
    surprisal = SurprisalWindow.readFrom(in);
    degeneration = Degeneration.readFrom(in);
    alerts = AlertTracker.readFrom(in);
    semantic = SemanticCoherence.readFrom(in);
    attribution = in.bool() ? AttributionTrack.readFrom(in) : null;
    int n = in.count();
    for (int i = 0; i < n; i++) {
      pending.add(PendingText.readFrom(in));
    }
    closeReason = in.string();
    semanticShed = in.bool();
    maxDriftIndex = in.float64();
    maxReferentialDrift = in.float64();
    maxLoopRepeats = in.float64();
    maxSemanticDriftIndex = in.float64();
    maxTopicShift = in.float64();
    maxNeighbourShift = in.float64();
    maxEntityShift = in.float64();
    surprisalSum = in.float64();
    surprisalCount = in.signed();
    sumSentenceCoherence = in.float64();
    countSentenceCoherence = in.signedInt();
    firstSentenceSeq = in.signed();
  }
}
