package io.driftwatch.scoring.engine;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.attribution.Span;
import io.driftwatch.attribution.VerbatimEvent;
import io.driftwatch.contract.Score;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.SpanRecord;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.alert.AlertTracker;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.baseline.ModelBaseline;
import io.driftwatch.scoring.degeneration.Degeneration;
import io.driftwatch.scoring.reference.EntityTracker;
import io.driftwatch.scoring.semantic.SemanticCoherence;
import io.driftwatch.scoring.text.Sentence;
import io.driftwatch.scoring.text.Words;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scoring engine: turns each generation's events into sentence score records, alert events and a
 * closing summary. Plain Java with no Kafka types; the Kafka Streams processor and the offline
 * {@code driftwatch score} command both drive it through a {@link GenerationStore}, so for the same
 * events they produce the same records, byte for byte.
 *
 * <p>Stateful input rules live here: a token whose seq is not above the last one seen is rejected
 * ({@code seq.out_of_order}), as is any event for a closed generation ({@code generation.closed}), a
 * second start ({@code start.duplicate}) and an end for an unknown generation
 * ({@code generation.unknown}). Tokens without a start open the generation implicitly (flagged).
 *
 * <p>Why one long class: it is the single place where the scorers meet (each scorer is a class of its
 * own; this one orders their calls per token and per sentence, and assembles one record from all of
 * them), and the streaming and offline paths must share it exactly to stay byte-identical
 * ({@code OfflineGoldenTest}). Splitting the ordering across classes would make that order harder to see.
 */
public final class ScoringEngine {

  /** Close reason of generations closed for silence. */
  public static final String IDLE = "idle";
  /** Close reason of generations still open when an offline input ends. */
  public static final String EOF = "eof";

  private final ScoringSettings settings;
  private final boolean semantic;
  private final AttributionScoring attribution;
  /** Rules on scores known when a sentence ends: evaluated then, whether or not its embedding is waited for. */
  private final List<AlertRule> cheapRules;
  /** Rules on semantic scores: evaluated when the sentence's embedding is applied. */
  private final List<AlertRule> semanticRules;

  /** An engine with the lexical, referential, degeneration and fluency scores only. */
  public ScoringEngine(ScoringSettings settings) {
    this(settings, false);
  }

  /**
   * @param semantic whether to compute the semantic scores too. Each completed sentence (and the prompt)
   *     then waits in the generation's state for its embedding; the caller collects the waiting texts of
   *     many generations ({@link #pendingTexts}), embeds them in one batch, and hands the embeddings back
   *     ({@link #completeEmbeddings}), which emits the sentence records. The records are the same
   *     whatever the batching: everything but the semantic scores is fixed when the sentence ends. The
   *     alerts of rules on the other scores go out when the sentence ends, without waiting for its
   *     embedding; those of rules on semantic scores when the embedding is applied (docs/events.md).
   */
  public ScoringEngine(ScoringSettings settings, boolean semantic) {
    this(settings, semantic, null);
  }

  /**
   * @param attribution matching against a reference index, or null for none: adds the attribution
   *     scores, span records and {@value #VERBATIM_RULE} alerts (docs/attribution.md)
   */
  public ScoringEngine(ScoringSettings settings, boolean semantic, AttributionScoring attribution) {
    this.settings = settings;
    this.semantic = semantic;
    this.attribution = attribution;
    this.cheapRules = settings.alertRules().stream().filter(r -> !r.needsEmbeddings()).toList();
    this.semanticRules = settings.alertRules().stream().filter(AlertRule::needsEmbeddings).toList();
  }

  /** Rule name of the alert raised when a span longer than the verbatim threshold is found. */
  public static final String VERBATIM_RULE = "verbatim_copy";

  public ScoringSettings settings() {
    return settings;
  }

  public boolean semantic() {
    return semantic;
  }

  /** The texts of a generation waiting for embeddings, in order; empty when none or unknown. */
  public List<String> pendingTexts(String generationId, GenerationStore store) {
    GenerationState state = store.get(generationId);
    if (state == null) {
      return List.of();
    }
    return state.pending.stream().map(PendingText::text).toList();
  }

  /**
   * Hands a generation the embeddings of its first {@code embeddings.length} waiting texts, in order, and
   * emits what they complete: sentence records, alerts, and the summary of a generation that ended while
   * they were waiting. A null embedding (the model failed) completes its sentence without semantic
   * scores and flags the generation {@code semantic_unavailable}.
   */
  public Output completeEmbeddings(String generationId, float[][] embeddings, GenerationStore store) {
    Output out = Output.empty();
    GenerationState state = store.get(generationId);
    if (state == null) {
      return out;
    }
    out.generation(state);
    int n = Math.min(embeddings.length, state.pending.size());
    for (int i = 0; i < n; i++) {
      PendingText text = state.pending.remove(0);
      float[] embedding = embeddings[i];
      if (embedding == null) {
        state.flags.add(ScoreRecord.SEMANTIC_UNAVAILABLE);
      }
      if (text.isPrompt()) {
        if (embedding != null) {
          state.semantic.observePrompt(embedding);
        }
        continue;
      }
      ScoreRecord record = text.record();
      Map<String, Double> scores = new HashMap<>(record.scores());
      Map<String, Double> semanticScores = new HashMap<>();
      if (embedding != null) {
        SemanticCoherence.Reading reading = state.semantic.observe(embedding, text.opening(),
            record.lastSeq() - record.firstSeq() + 1, record.firstSeq(), settings.windowSentences(), settings.radiusSentences(),
            settings.radiusThreshold(), settings.shiftSentences());
        put(scores, Score.SENTENCE_SEMANTIC_COHERENCE, reading.sentenceCoherence());
        put(scores, Score.SENTENCE_COHERENCE_RADIUS, reading.sentenceRadius());
        put(scores, Score.TOPIC_SHIFT, reading.topicShift());
        if (reading.shiftSeq() >= 0) {
          put(scores, Score.TOPIC_SHIFT_AT, reading.shiftSeq());
        }
        put(scores, Score.NEIGHBOUR_SHIFT, reading.neighbourShift());
        if (reading.neighbourShiftSeq() >= 0) {
          put(scores, Score.NEIGHBOUR_SHIFT_AT, reading.neighbourShiftSeq());
        }
        state.maxTopicShift = max(state.maxTopicShift, scores.get(Score.TOPIC_SHIFT.wireName()));
        state.maxNeighbourShift = max(state.maxNeighbourShift, scores.get(Score.NEIGHBOUR_SHIFT.wireName()));
        putSemantic(state, scores);
        state.maxSemanticDriftIndex = max(state.maxSemanticDriftIndex, scores.get(Score.SEMANTIC_DRIFT_INDEX.wireName()));
        scores.forEach((name, value) -> {
          if (!record.scores().containsKey(name)) {
            semanticScores.put(name, value);
          }
        });
      }
      // The cheap scores' percentiles and alerts were settled when the sentence ended (scoreSentence).
      ScoreRecord complete = withPercentiles(new ScoreRecord(record.v(), record.generationId(), record.runId(), record.model(),
          record.kind(), record.sentence(), record.sentences(), record.firstSeq(), record.lastSeq(), record.tokens(), scores,
          embedding == null ? withFlag(record.flags(), ScoreRecord.SEMANTIC_UNAVAILABLE) : record.flags(), record.eventTime(), null),
          semanticScores, store.baselines());
      out.scores().add(complete);
      raiseAlerts(state, complete, semanticRules, out);
    }
    out.pending(state.pending.size());
    if (state.pending.isEmpty() && state.closeReason != null) {
      finishClose(state, state.closeReason, out, store.baselines());
      store.delete(generationId);
      store.markClosed(generationId, state.lastEventTime);
    } else {
      store.put(generationId, state);
    }
    return out;
  }

  /** Applies one valid event (see EventValidator) of a generation. */
  public Output process(GenerationEvent event, GenerationStore store) {
    Output out = Output.empty();
    String id = event.generationId();
    GenerationState state = store.get(id);
    // A generation with a state is open: closing deletes the state as it marks the id closed. So the closed
    // ids, a store read in the topology (where the open states are live objects), are asked only of an
    // event whose generation has no state: a new generation's first, or one that arrives after the end.
    if (state == null && store.isClosed(id)) {
      out.rejections().add(new Rejection("generation.closed",
          "generation " + id + " is already closed; its " + event.typeName() + " event arrived after the end"));
      return out;
    }
    if (state != null && !state.pending.isEmpty() && !semantic) {
      if (!completeWithoutEmbeddings(state, out, store)) {
        out.rejections().add(new Rejection("generation.closed",
            "generation " + id + " is already closed; its " + event.typeName() + " event arrived after the end"));
        return out;
      }
      state = store.get(id);
    }
    if (state != null && state.closeReason != null) {
      out.rejections().add(new Rejection("generation.closed",
          "generation " + id + " is already closed; its " + event.typeName() + " event arrived after the end"));
      return out;
    }
    if (event instanceof GenerationEvent.Start start) {
      if (state != null && state.started) {
        out.rejections().add(new Rejection("start.duplicate", "generation " + id + " has already started"));
        return out;
      }
      if (state == null) {
        state = newState(id, store);
      } else {
        state.flags.add("late_start");
      }
      begin(state, start);
      out.generation(state);
      out.pending(state.pending.size());
      store.put(id, state);
      return out;
    }
    if (event instanceof GenerationEvent.End end) {
      if (state == null) {
        out.rejections().add(new Rejection("generation.unknown", "end event for generation " + id + ", which never started"));
        return out;
      }
      out.generation(state);
      close(state, "end:" + end.finishReason(), out, store, end.eventTime());
      return out;
    }
    if (state == null) {
      state = newState(id, store);
      state.flags.add("implicit_start");
    }
    out.generation(state);
    List<GenerationEvent.Token> tokens = event instanceof GenerationEvent.Chunk chunk ? chunk.expand() : List.of((GenerationEvent.Token) event);
    List<Long> late = new ArrayList<>(0);
    for (GenerationEvent.Token token : tokens) {
      if (token.seq() <= state.lastSeq) {
        late.add(token.seq());
        continue;
      }
      acceptToken(state, token, out, store.baselines());
    }
    if (!late.isEmpty()) {
      out.rejections().add(new Rejection("seq.out_of_order", "token seq " + describe(late) + " arrived after seq "
          + state.lastSeq + " of generation " + id + " (a duplicate or a late token); "
          + (late.size() == tokens.size() ? "nothing of this event was scored" : "the other tokens of this event were scored")));
    }
    out.pending(state.pending.size());
    store.put(id, state);
    return out;
  }

  /** Closes an open generation that went quiet; the caller decides when (wall clock) and why. */
  public Output closeIdle(String generationId, GenerationStore store, String reason) {
    Output out = Output.empty();
    GenerationState state = store.get(generationId);
    if (state != null && !state.pending.isEmpty() && !semantic) {
      state = completeWithoutEmbeddings(state, out, store) ? store.get(generationId) : null;
    }
    if (state != null && state.closeReason == null) {
      out.generation(state);
      close(state, reason, out, store, state.lastEventTime);
    }
    return out;
  }

  /** A new generation's state, with the load-shedding decision made for its whole life. */
  private GenerationState newState(String id, GenerationStore store) {
    GenerationState state = new GenerationState(id);
    if (semantic && store.shedsSemantic(id)) {
      state.semanticShed = true;
      state.flags.add(ScoreRecord.SEMANTIC_SHED);
    }
    return state;
  }

  /** Whether this generation's texts wait for embeddings: semantic scoring on, and the generation not shed. */
  private boolean embeds(GenerationState state) {
    return semantic && !state.semanticShed;
  }

  private void begin(GenerationState state, GenerationEvent.Start start) {
    state.started = true;
    state.runId = start.runId();
    state.model = start.model();
    if (settings.lexical()) {
      state.entities.observePrompt(start.prompt());
      state.commitment.commit(Words.contentStems(start.prompt()));
    }
    if (embeds(state) && start.prompt() != null && !start.prompt().isBlank()) {
      state.pending.add(new PendingText(start.prompt(), null, false));
    }
  }

  private void acceptToken(GenerationState state, GenerationEvent.Token token, Output out, Baselines baselines) {
    out.countToken();
    if (token.seq() > state.lastSeq + 1) {
      state.flags.add("seq_gap");
    }
    state.lastSeq = token.seq();
    state.tokens++;
    if (state.firstEventTime == null) {
      state.firstEventTime = token.eventTime();
    }
    state.lastEventTime = token.eventTime();
    if (settings.lexical()) {
      if (token.logprob() != null) {
        state.surprisal.observe(token.logprob(), settings.surprisalWindow());
        state.surprisalSum -= token.logprob();
        state.surprisalCount++;
      }
      state.degeneration.observe(token.text(), settings.repetitionWindow(), settings.maxLoopPeriod());
    }
    if (attribution != null) {
      if (state.attribution == null) {
        state.attribution = attribution.start();
      }
      attribution.accept(state.attribution, token.text(), token.seq(), findings(state, token.eventTime(), out));
    }
    state.segmenter.accept(token.seq(), token.text(), token.eventTime(), settings.maxSentenceTokens())
        .ifPresent(sentence -> scoreSentence(state, sentence, out, baselines));
  }

  /** Ends a generation: now, or once its waiting texts have their embeddings. */
  private void close(GenerationState state, String reason, Output out, GenerationStore store, Instant closedAt) {
    if (attribution != null && state.attribution != null) {
      attribution.finish(state.attribution, state.lastSeq, findings(state, state.lastEventTime, out));
    }
    state.segmenter.flush().ifPresent(sentence -> scoreSentence(state, sentence, out, store.baselines()));
    if (!state.pending.isEmpty()) {
      state.closeReason = reason;
      out.pending(state.pending.size());
      store.put(state.generationId, state);
      return;
    }
    finishClose(state, reason, out, store.baselines());
    store.delete(state.generationId);
    store.markClosed(state.generationId, state.lastEventTime != null ? state.lastEventTime : closedAt);
  }

  private void finishClose(GenerationState state, String reason, Output out, Baselines baselines) {
    Map<String, Double> scores = rollingScores(state);
    putSemantic(state, scores);
    put(scores, Score.SEMANTIC_DRIFT_INDEX.maxName(), state.maxSemanticDriftIndex);
    put(scores, Score.TOPIC_SHIFT.maxName(), state.maxTopicShift);
    put(scores, Score.NEIGHBOUR_SHIFT.maxName(), state.maxNeighbourShift);
    put(scores, Score.ENTITY_SHIFT.maxName(), state.maxEntityShift);
    if (state.surprisalCount > 0) {
      put(scores, Score.GENERATION_SURPRISAL_MEAN, state.surprisalSum / state.surprisalCount);
    }
    put(scores, Score.DRIFT_INDEX.maxName(), state.maxDriftIndex);
    put(scores, Score.REFERENTIAL_DRIFT.maxName(), state.maxReferentialDrift);
    put(scores, Score.LOOP_REPEATS.maxName(), state.maxLoopRepeats);
    put(scores, Score.MEAN_SENTENCE_COHERENCE.wireName(),
        state.countSentenceCoherence == 0 ? Double.NaN : state.sumSentenceCoherence / state.countSentenceCoherence);
    Map<String, Double> learned = Map.copyOf(scores);
    if (baselines != null) {
      // Measured against the baseline as it was before this generation joined it.
      scores.putAll(baselines.percentiles(state.model, learned, ModelBaseline.MAX_PREFIX));
    }
    out.scores().add(new ScoreRecord(GenerationEvent.SCHEMA_VERSION, state.generationId, state.runId, state.model,
        ScoreRecord.SUMMARY, null, state.segmenter.sentences(), Math.max(0, state.firstSentenceSeq), state.lastSeq,
        state.tokens, scores, List.copyOf(state.flags), state.lastEventTime, reason));
    if (baselines != null) {
      baselines.learn(state.model, state.runId, learned);
    }
  }

  private void scoreSentence(GenerationState state, Sentence sentence, Output out, Baselines baselines) {
    out.countSentence();
    if (state.firstSentenceSeq < 0) {
      state.firstSentenceSeq = sentence.firstSeq();
    }
    boolean opening = sentence.index() < settings.openingSentences();
    double sentenceCoherence = settings.lexical() ? observeLexical(state, sentence, opening) : Double.NaN;

    Map<String, Double> scores = rollingScores(state);
    put(scores, Score.SENTENCE_COHERENCE, sentenceCoherence);
    state.maxDriftIndex = max(state.maxDriftIndex, scores.get(Score.DRIFT_INDEX.wireName()));
    state.maxReferentialDrift = max(state.maxReferentialDrift, scores.get(Score.REFERENTIAL_DRIFT.wireName()));
    state.maxLoopRepeats = max(state.maxLoopRepeats, scores.get(Score.LOOP_REPEATS.wireName()));
    state.maxEntityShift = max(state.maxEntityShift, scores.get(Score.ENTITY_SHIFT.wireName()));

    ScoreRecord record = new ScoreRecord(GenerationEvent.SCHEMA_VERSION, state.generationId, state.runId, state.model,
        ScoreRecord.SENTENCE, sentence.index(), sentence.index() + 1, sentence.firstSeq(), sentence.lastSeq(), state.tokens,
        scores, List.copyOf(state.flags), sentence.lastEventTime(), null);
    // Percentiles and alerts of the scores known now go out now: only the semantic ones wait for the model.
    record = withPercentiles(record, record.scores(), baselines);
    raiseAlerts(state, record, embeds(state) ? cheapRules : settings.alertRules(), out);
    if (embeds(state)) {
      state.pending.add(new PendingText(sentence.text(), record, opening));
    } else {
      out.scores().add(record);
    }
  }

  /** Feeds a sentence to the lexical scorers; returns its own lexical coherence (NaN for the first). */
  private double observeLexical(GenerationState state, Sentence sentence, boolean opening) {
    Set<String> stems = Words.contentStems(sentence.text());
    boolean continues = state.entities.observe(sentence.text(), sentence.index(), opening, settings.windowSentences(),
        sentence.firstSeq(), EntityTracker.SHIFT_SENTENCES);
    if (opening) {
      state.commitment.commit(stems);
    } else {
      state.commitment.observe(stems, settings.windowSentences());
    }
    double sentenceCoherence = state.coherence.observe(stems, continues, settings.windowSentences());
    if (!Double.isNaN(sentenceCoherence)) {
      state.sumSentenceCoherence += sentenceCoherence;
      state.countSentenceCoherence++;
    }
    return sentenceCoherence;
  }

  /**
   * The sentence record with the percentile against the model's baseline of each alertable score among
   * {@code measured} beside it, once that baseline is ready (percentile rules watch the {@code _pct}
   * values, so they stay silent while the baseline warms up).
   */
  private static ScoreRecord withPercentiles(ScoreRecord record, Map<String, Double> measured, Baselines baselines) {
    if (baselines == null || measured.isEmpty()) {
      return record;
    }
    Map<String, Double> percentiles = baselines.percentiles(record.model(), measured, "");
    if (percentiles.isEmpty()) {
      return record;
    }
    Map<String, Double> scores = new HashMap<>(record.scores());
    scores.putAll(percentiles);
    return new ScoreRecord(record.v(), record.generationId(), record.runId(), record.model(), record.kind(), record.sentence(),
        record.sentences(), record.firstSeq(), record.lastSeq(), record.tokens(), scores, record.flags(), record.eventTime(),
        record.closeReason());
  }

  /** Feeds a sentence's scores to {@code rules} and emits the alert transitions they cause. */
  private void raiseAlerts(GenerationState state, ScoreRecord record, List<AlertRule> rules, Output out) {
    for (AlertTracker.Transition t : state.alerts.observe(rules, record.scores(), record.firstSeq(), record.lastSeq())) {
      // A change-point score says where the change began: its alert starts there, not where it was seen.
      Double at = t.firing() ? record.scores().get(Score.onsetName(t.rule().score())) : null;
      long firstSeq = at != null ? at.longValue() : t.firstSeq();
      // Run and model as the record has them: the state's may have changed since (a late start).
      out.alerts().add(new AlertEvent(GenerationEvent.SCHEMA_VERSION, state.generationId, record.runId(), record.model(),
          t.rule().name(), t.rule().score(), t.firing() ? AlertEvent.FIRING : AlertEvent.RESOLVED, t.value(),
          t.rule().fireAt(), t.rule().clearBelow(), firstSeq, t.lastSeq(), record.sentence(), record.eventTime()));
    }
  }

  private static List<String> withFlag(List<String> flags, String flag) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(flags);
    all.add(flag);
    return List.copyOf(all);
  }

  /**
   * An engine without semantic scores meeting texts that wait for embeddings (the monitor was
   * restarted with --no-semantic over a store written with them): completes them at once without
   * semantic scores, and closes the generation if it had ended, so that nothing waits forever.
   * Returns whether the generation is still open.
   */
  private boolean completeWithoutEmbeddings(GenerationState state, Output out, GenerationStore store) {
    Output done = completeEmbeddings(state.generationId, new float[state.pending.size()][], store);
    out.scores().addAll(done.scores());
    out.alerts().addAll(done.alerts());
    return store.get(state.generationId) != null;
  }

  /** Turns what the matcher finds into span records and verbatim alerts of this generation. */
  private AttributionScoring.Findings findings(GenerationState state, Instant at, Output out) {
    return new AttributionScoring.Findings() {
      @Override
      public void span(Span span, long firstSeq, long lastSeq) {
        out.spans().add(new SpanRecord(GenerationEvent.SCHEMA_VERSION, state.generationId, state.runId, state.model, span.start(),
            span.end(), span.length(), firstSeq, lastSeq, span.occurrences(), AttributionScoring.sources(span.listed()), at));
      }

      @Override
      public void verbatim(VerbatimEvent event, long firstSeq, long lastSeq) {
        double threshold = attribution.matcher().settings().verbatimOver();
        out.alerts().add(new AlertEvent(GenerationEvent.SCHEMA_VERSION, state.generationId, state.runId, state.model,
            VERBATIM_RULE, Score.LONGEST_VERBATIM_SPAN.wireName(), AlertEvent.FIRING, event.length(), threshold, threshold, firstSeq, lastSeq,
            state.segmenter.sentences(), at, AttributionScoring.sources(event.listed())));
      }
    };
  }

  /** The rolling semantic scores; left out while undefined (and always when semantic scoring is off). */
  private static void putSemantic(GenerationState state, Map<String, Double> scores) {
    put(scores, Score.SEMANTIC_LOCAL_COHERENCE, state.semantic.localCoherence());
    put(scores, Score.SEMANTIC_GLOBAL_COMMITMENT, state.semantic.globalCommitment());
    put(scores, Score.SEMANTIC_DRIFT_INDEX, state.semantic.driftIndex());
    put(scores, Score.COHERENCE_RADIUS, state.semantic.coherenceRadius());
  }

  /** The current rolling value of every score family; undefined ones are left out. */
  private Map<String, Double> rollingScores(GenerationState state) {
    Map<String, Double> scores = new HashMap<>();
    if (settings.lexical()) {
      putLexical(state, scores);
    }
    put(scores, Score.TOKENS_PER_SECOND, tokensPerSecond(state));
    if (attribution != null && state.attribution != null) {
      attribution.putScores(state.attribution, scores);
    }
    return scores;
  }

  private void putLexical(GenerationState state, Map<String, Double> scores) {
    double local = state.coherence.rolling();
    double global = state.commitment.commitment();
    put(scores, Score.LOCAL_COHERENCE, local);
    put(scores, Score.GLOBAL_COMMITMENT, global);
    put(scores, Score.DRIFT_INDEX, local - global);
    EntityTracker.Reading ref = state.entities.reading(settings.windowSentences());
    put(scores, Score.REFERENTIAL_DRIFT, ref.drift());
    put(scores, Score.REF_CONTINUATION, ref.continuation());
    put(scores, Score.REF_ABANDONED, ref.abandoned());
    put(scores, Score.REF_NEW_ENTITIES, ref.newEntities());
    EntityTracker.Shift shift = state.entities.shift(EntityTracker.SHIFT_SENTENCES);
    put(scores, Score.ENTITY_SHIFT, shift.value());
    if (shift.at() >= 0) {
      put(scores, Score.ENTITY_SHIFT_AT, shift.at());
    }
    put(scores, Score.REPETITION_RATE, state.degeneration.repetitionRate(settings.repetitionWindow(), settings.repetitionNgram()));
    Degeneration.Loop loop = state.degeneration.loop(settings.minLoopTokens());
    put(scores, Score.LOOP_REPEATS, loop.repeats());
    if (loop.period() > 0) {
      put(scores, Score.LOOP_PERIOD, loop.period());
    }
    if (!state.surprisal.isEmpty()) {
      put(scores, Score.SURPRISAL_MEAN, state.surprisal.mean());
      put(scores, Score.SURPRISAL_TREND, state.surprisal.trend());
    }
  }

  static double tokensPerSecond(GenerationState s) {
    if (s.tokens < 2 || s.firstEventTime == null) {
      return Double.NaN;
    }
    Duration elapsed = Duration.between(s.firstEventTime, s.lastEventTime);
    if (elapsed.isNegative() || elapsed.isZero()) {
      return Double.NaN;
    }
    if (elapsed.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
      // Event times are the producer's word: a span of ~292 years or more does not fit in nanoseconds.
      return (s.tokens - 1) / (elapsed.getSeconds() + elapsed.getNano() / 1e9);
    }
    return (s.tokens - 1) * 1e9 / elapsed.toNanos();
  }

  private static void put(Map<String, Double> scores, Score score, double value) {
    put(scores, score.wireName(), value);
  }

  private static void put(Map<String, Double> scores, String name, double value) {
    if (!Double.isNaN(value) && !Double.isInfinite(value)) {
      scores.put(name, value);
    }
  }

  private static double max(double current, Double candidate) {
    if (candidate == null) {
      return current;
    }
    return Double.isNaN(current) ? candidate : Math.max(current, candidate);
  }

  private static String describe(List<Long> seqs) {
    return seqs.size() == 1 ? String.valueOf(seqs.get(0)) : seqs.get(0) + ".." + seqs.get(seqs.size() - 1);
  }
}
