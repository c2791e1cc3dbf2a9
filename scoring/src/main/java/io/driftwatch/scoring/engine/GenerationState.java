package io.driftwatch.scoring.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.driftwatch.scoring.alert.AlertTracker;
import io.driftwatch.scoring.coherence.GlobalCommitment;
import io.driftwatch.scoring.coherence.LexicalCoherence;
import io.driftwatch.scoring.degeneration.Degeneration;
import io.driftwatch.scoring.fluency.SurprisalWindow;
import io.driftwatch.scoring.reference.EntityTracker;
import io.driftwatch.scoring.attribution.AttributionTrack;
import io.driftwatch.scoring.semantic.SemanticCoherence;
import io.driftwatch.scoring.text.SentenceSegmenter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.TreeSet;

/**
 * Everything the engine remembers about one open generation: what the state store keeps, serialised
 * as JSON. Every part is bounded by the settings (windows of k sentences or W tokens, capped entity
 * table and anchor), so its size does not grow with the generation's length; see docs/scores.md.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
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
}
