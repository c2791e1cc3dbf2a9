package io.driftwatch.scoring.guard;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.scoring.engine.Output;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.util.Optional;
import java.util.Set;

/**
 * The scoring engine run inside a guarding process (the tap) on the generations it relays: the same
 * engine, rules and thresholds as the monitor, so a loop or a verbatim copy trips here exactly where the
 * monitor would raise its alert, with no Kafka round trip in between.
 *
 * <p>Only rules the engine can decide without embeddings are meaningful here (loops, verbatim copies
 * with an attribution index, the lexical drift rules); the engine must be built without semantic scores.
 * Thread-safe: each generation gets its own {@link Session} and state.
 */
public final class GuardEvaluator {

  private final ScoringEngine engine;
  private final Set<String> rules;

  /**
   * @param engine a scoring engine without semantic scores
   * @param rules the names of the rules that trip the guard
   */
  public GuardEvaluator(ScoringEngine engine, Set<String> rules) {
    if (engine.semantic()) {
      throw new IllegalArgumentException("the in-process guard runs without embeddings; give it an engine without semantic scores");
    }
    this.engine = engine;
    this.rules = Set.copyOf(rules);
  }

  public Set<String> rules() {
    return rules;
  }

  /**
   * The scores only an engine with embeddings computes (ScoringEngine#completeEmbeddings): a rule on
   * one of them can never fire in process and is the monitor's to decide.
   */
  public static final Set<String> SEMANTIC_SCORES = Set.of("sentence_semantic_coherence", "sentence_coherence_radius",
      ScoringEngine.TOPIC_SHIFT, ScoringEngine.NEIGHBOUR_SHIFT, "semantic_local_coherence", "semantic_global_commitment", "semantic_drift_index",
      "coherence_radius");

  /**
   * Why {@code rule} cannot be decided in process with these settings, or null when it can: it must be
   * one of the settings' alert rules on a score computed without embeddings, or {@code verbatim_copy}
   * with an attribution index.
   */
  public static String unavailable(String rule, ScoringSettings settings, boolean attribution) {
    if (rule.equals(ScoringEngine.VERBATIM_RULE)) {
      return attribution ? null : "verbatim_copy needs a reference index (--index)";
    }
    for (AlertRule r : settings.alertRules()) {
      if (r.name().equals(rule)) {
        return SEMANTIC_SCORES.contains(r.score())
            ? rule + " watches " + r.score() + ", a semantic score that needs embeddings; the in-process guard has none"
            : null;
      }
    }
    return "no alert rule is named " + rule;
  }

  /** A session for one generation's events, in order, from one thread. */
  public Session open() {
    return new Session();
  }

  /** One generation's state: fed its events, says when a guarded rule first fires. */
  public final class Session {

    // Live objects, not serialised states: the state never leaves this process, and a round trip per
    // token would be paid on the relay's thread.
    private final InMemoryGenerationStore store = InMemoryGenerationStore.live();
    private boolean tripped;

    private Session() {}

    /** Feeds one event; returns the trip when a guarded rule fires at it for the first time. */
    public Optional<GuardTrip> accept(GenerationEvent event) {
      if (tripped) {
        return Optional.empty(); // one decision per generation; later alerts change nothing
      }
      Output out = engine.process(event, store);
      for (AlertEvent alert : out.alerts()) {
        if (AlertEvent.FIRING.equals(alert.state()) && rules.contains(alert.rule())) {
          tripped = true;
          return Optional.of(new GuardTrip(alert.rule(), lastSeq(event, alert)));
        }
      }
      return Optional.empty();
    }
  }

  /** The token being accepted when the rule fired; within a chunk, the last token the alert covers. */
  private static long lastSeq(GenerationEvent event, AlertEvent alert) {
    if (event instanceof GenerationEvent.Token token) {
      return token.seq();
    }
    return alert.lastSeq();
  }
}
