package io.driftwatch.scoring.engine;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.alert.AlertTracker;
import io.driftwatch.scoring.degeneration.Degeneration;
import io.driftwatch.scoring.reference.EntityTracker;
import io.driftwatch.scoring.text.Sentence;
import io.driftwatch.scoring.text.Words;
import java.time.Duration;
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
 */
public final class ScoringEngine {

  /** Close reason of generations closed for silence. */
  public static final String IDLE = "idle";
  /** Close reason of generations still open when an offline input ends. */
  public static final String EOF = "eof";

  private final ScoringSettings settings;

  public ScoringEngine(ScoringSettings settings) {
    this.settings = settings;
  }

  public ScoringSettings settings() {
    return settings;
  }

  /** Applies one valid event (see EventValidator) of a generation. */
  public Output process(GenerationEvent event, GenerationStore store) {
    Output out = Output.empty();
    String id = event.generationId();
    if (store.isClosed(id)) {
      out.rejections().add(new Rejection("generation.closed",
          "generation " + id + " is already closed; its " + event.typeName() + " event arrived after the end"));
      return out;
    }
    GenerationState state = store.get(id);
    if (event instanceof GenerationEvent.Start start) {
      if (state != null && state.started) {
        out.rejections().add(new Rejection("start.duplicate", "generation " + id + " has already started"));
        return out;
      }
      if (state == null) {
        state = new GenerationState(id);
      } else {
        state.flags.add("late_start");
      }
      begin(state, start);
      out.generation(state);
      store.put(id, state);
      return out;
    }
    if (event instanceof GenerationEvent.End end) {
      if (state == null) {
        out.rejections().add(new Rejection("generation.unknown", "end event for generation " + id + ", which never started"));
        return out;
      }
      out.generation(state);
      close(state, "end:" + end.finishReason(), out);
      store.delete(id);
      store.markClosed(id, state.lastEventTime != null ? state.lastEventTime : end.eventTime());
      return out;
    }
    if (state == null) {
      state = new GenerationState(id);
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
      acceptToken(state, token, out);
    }
    if (!late.isEmpty()) {
      out.rejections().add(new Rejection("seq.out_of_order", "token seq " + describe(late) + " arrived after seq "
          + state.lastSeq + " of generation " + id + " (a duplicate or a late token); "
          + (late.size() == tokens.size() ? "nothing of this event was scored" : "the other tokens of this event were scored")));
    }
    store.put(id, state);
    return out;
  }

  /** Closes an open generation that went quiet; the caller decides when (wall clock) and why. */
  public Output closeIdle(String generationId, GenerationStore store, String reason) {
    Output out = Output.empty();
    GenerationState state = store.get(generationId);
    if (state != null) {
      out.generation(state);
      close(state, reason, out);
      store.delete(generationId);
      store.markClosed(generationId, state.lastEventTime);
    }
    return out;
  }

  private void begin(GenerationState state, GenerationEvent.Start start) {
    state.started = true;
    state.runId = start.runId();
    state.model = start.model();
    state.entities.observePrompt(start.prompt());
    state.commitment.commit(Words.contentStems(start.prompt()));
  }

  private void acceptToken(GenerationState state, GenerationEvent.Token token, Output out) {
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
    if (token.logprob() != null) {
      state.surprisal.observe(token.logprob(), settings.surprisalWindow());
    }
    state.degeneration.observe(token.text(), settings.repetitionWindow(), settings.maxLoopPeriod());
    state.segmenter.accept(token.seq(), token.text(), token.eventTime(), settings.maxSentenceTokens())
        .ifPresent(sentence -> scoreSentence(state, sentence, out));
  }

  private void close(GenerationState state, String reason, Output out) {
    state.segmenter.flush().ifPresent(sentence -> scoreSentence(state, sentence, out));
    Map<String, Double> scores = rollingScores(state);
    put(scores, "max_drift_index", state.maxDriftIndex);
    put(scores, "max_referential_drift", state.maxReferentialDrift);
    put(scores, "max_loop_repeats", state.maxLoopRepeats);
    put(scores, "mean_sentence_coherence",
        state.countSentenceCoherence == 0 ? Double.NaN : state.sumSentenceCoherence / state.countSentenceCoherence);
    out.scores().add(new ScoreRecord(GenerationEvent.SCHEMA_VERSION, state.generationId, state.runId, state.model,
        ScoreRecord.SUMMARY, null, state.segmenter.sentences(), Math.max(0, state.firstSentenceSeq), state.lastSeq,
        state.tokens, scores, List.copyOf(state.flags), state.lastEventTime, reason));
  }

  private void scoreSentence(GenerationState state, Sentence sentence, Output out) {
    if (state.firstSentenceSeq < 0) {
      state.firstSentenceSeq = sentence.firstSeq();
    }
    Set<String> stems = Words.contentStems(sentence.text());
    boolean opening = sentence.index() < settings.openingSentences();
    boolean continues = state.entities.observe(sentence.text(), sentence.index(), opening, settings.windowSentences());
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

    Map<String, Double> scores = rollingScores(state);
    put(scores, "sentence_coherence", sentenceCoherence);
    state.maxDriftIndex = max(state.maxDriftIndex, scores.get("drift_index"));
    state.maxReferentialDrift = max(state.maxReferentialDrift, scores.get("referential_drift"));
    state.maxLoopRepeats = max(state.maxLoopRepeats, scores.get("loop_repeats"));

    out.scores().add(new ScoreRecord(GenerationEvent.SCHEMA_VERSION, state.generationId, state.runId, state.model,
        ScoreRecord.SENTENCE, sentence.index(), sentence.index() + 1, sentence.firstSeq(), sentence.lastSeq(), state.tokens,
        scores, List.copyOf(state.flags), sentence.lastEventTime(), null));
    for (AlertTracker.Transition t : state.alerts.observe(settings.alertRules(), scores, sentence.firstSeq(), sentence.lastSeq())) {
      out.alerts().add(new AlertEvent(GenerationEvent.SCHEMA_VERSION, state.generationId, state.runId, state.model,
          t.rule().name(), t.rule().score(), t.firing() ? AlertEvent.FIRING : AlertEvent.RESOLVED, t.value(),
          t.rule().fireAt(), t.rule().clearBelow(), t.firstSeq(), t.lastSeq(), sentence.index(), sentence.lastEventTime()));
    }
  }

  /** The current rolling value of every score family; undefined ones are left out. */
  private Map<String, Double> rollingScores(GenerationState state) {
    Map<String, Double> scores = new HashMap<>();
    double local = state.coherence.rolling();
    double global = state.commitment.commitment();
    put(scores, "local_coherence", local);
    put(scores, "global_commitment", global);
    put(scores, "drift_index", local - global);
    EntityTracker.Reading ref = state.entities.reading();
    put(scores, "referential_drift", ref.drift());
    put(scores, "ref_continuation", ref.continuation());
    put(scores, "ref_abandoned", ref.abandoned());
    put(scores, "ref_new_entities", ref.newEntities());
    put(scores, "repetition_rate", state.degeneration.repetitionRate(settings.repetitionWindow(), settings.repetitionNgram()));
    Degeneration.Loop loop = state.degeneration.loop(settings.minLoopTokens());
    put(scores, "loop_repeats", loop.repeats());
    if (loop.period() > 0) {
      put(scores, "loop_period", loop.period());
    }
    if (!state.surprisal.isEmpty()) {
      put(scores, "surprisal_mean", state.surprisal.mean());
      put(scores, "surprisal_trend", state.surprisal.trend());
    }
    put(scores, "tokens_per_second", tokensPerSecond(state));
    return scores;
  }

  static double tokensPerSecond(GenerationState s) {
    if (s.tokens < 2 || s.firstEventTime == null) {
      return Double.NaN;
    }
    long nanos = Duration.between(s.firstEventTime, s.lastEventTime).toNanos();
    return nanos <= 0 ? Double.NaN : (s.tokens - 1) * 1e9 / nanos;
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
