package io.driftwatch.scoring.engine;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.SpanRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What one step of the engine produced, in order of emission within each list, and how many tokens
 * of the event it accepted (for throughput metrics).
 */
public final class Output {

  private final List<ScoreRecord> scores = new ArrayList<>(1);
  private final List<AlertEvent> alerts = new ArrayList<>(0);
  private final List<Rejection> rejections = new ArrayList<>(0);
  private final List<SpanRecord> spans = new ArrayList<>(0);
  private int tokensAccepted;
  private int sentencesEnded;
  private int pending;
  private String generationId;
  private String model;
  private String runId;

  public static Output empty() {
    return new Output();
  }

  public List<ScoreRecord> scores() {
    return scores;
  }

  public List<AlertEvent> alerts() {
    return alerts;
  }

  public List<Rejection> rejections() {
    return rejections;
  }

  /** Spans found in the reference corpus (attribution), in order. */
  public List<SpanRecord> spans() {
    return spans;
  }

  public int tokensAccepted() {
    return tokensAccepted;
  }

  /** The generation's model, when known (null before its start event). */
  public String model() {
    return model;
  }

  /** The generation's run id, when known. */
  public String runId() {
    return runId;
  }

  /** Texts of the generation still waiting for embeddings after this step (semantic scoring). */
  public int pending() {
    return pending;
  }

  void pending(int texts) {
    this.pending = texts;
  }

  void countToken() {
    tokensAccepted++;
  }

  /** Sentences this step completed, whether their records go out now or wait for embeddings (load shedding measures it). */
  public int sentencesEnded() {
    return sentencesEnded;
  }

  void countSentence() {
    sentencesEnded++;
  }

  /** The generation this step concerned, when known. */
  public String generationId() {
    return generationId;
  }

  void generation(GenerationState state) {
    this.generationId = state.generationId;
    this.model = state.model;
    this.runId = state.runId;
  }
}
