package io.driftwatch.cli;

import io.driftwatch.producers.tap.GuardSettings;
import io.driftwatch.producers.tap.InFlightGenerations;
import io.driftwatch.producers.tap.TapGuard;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.guard.GuardEvaluator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/** The guard options of {@code driftwatch tap} (a picocli mixin): which rules stop a stream, and how. */
final class GuardOptions {

  @Option(names = "--guard", paramLabel = "RULE[,RULE...]", split = ",",
      description = "Stop streamed generations for which one of these rules fires: loop, verbatim_copy (needs --index), or another "
          + "alert rule decided without embeddings (entity_shift, or a rule of --alert-rules). The tap cancels the upstream request "
          + "and ends the client's stream with a final chunk (finish_reason --guard-finish-reason) and data: [DONE].")
  List<String> rules = new ArrayList<>();

  @Option(names = "--guard-dry-run",
      description = "Decide and record what the guard would have stopped (events, metrics, log), but stop nothing.")
  boolean dryRun;

  @Option(names = "--guard-kafka", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also stop a stream when the monitor publishes a firing alert of a guarded rule for it on the alerts topic "
          + "(read_committed): the path for every rule the monitor evaluates, the semantic ones included (default: on; "
          + "--no-guard-kafka for the in-process path only).")
  boolean kafka;

  @Option(names = "--guard-finish-reason", paramLabel = "REASON", defaultValue = GuardSettings.DEFAULT_FINISH_REASON,
      description = "The finish_reason of the final chunk of a stopped stream (default: ${DEFAULT-VALUE}).")
  String finishReason;

  /** The guard, or empty when no rule is guarded. */
  Optional<GuardSettings> settings(ScoringSettings scoring, AttributionScoring attribution) {
    if (rules.isEmpty()) {
      if (dryRun) {
        throw new UserFacingException("--guard-dry-run needs --guard RULE[,RULE...]: the rules whose stops it records");
      }
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    Set<String> inProcess = new LinkedHashSet<>();
    for (String rule : rules) {
      String name = rule.trim();
      String why = GuardEvaluator.unavailable(name, scoring, attribution != null);
      if (why == null) {
        inProcess.add(name);
      } else if (!kafka || !monitorEvaluates(name, scoring)) {
        throw new UserFacingException("--guard " + name + ": " + why + (kafka ? "" : ", and --no-guard-kafka leaves no other path"));
      }
      names.add(name);
    }
    if (finishReason == null || finishReason.isBlank()) {
      throw new UserFacingException("--guard-finish-reason must not be blank");
    }
    TapGuard engine = inProcess.isEmpty() ? null
        : inProcess(new GuardEvaluator(new ScoringEngine(scoring, false, attribution), inProcess));
    return Optional.of(new GuardSettings(names, finishReason.trim(), dryRun, engine, kafka ? new InFlightGenerations() : null));
  }

  /** Rules the monitor can raise: its alert rules (same --alert-rules as the monitor's), and verbatim_copy with its index. */
  private static boolean monitorEvaluates(String rule, ScoringSettings scoring) {
    return rule.equals(ScoringEngine.VERBATIM_RULE) || scoring.alertRules().stream().anyMatch(r -> r.name().equals(rule));
  }

  /** The scoring engine's evaluator behind the tap's guard interface. */
  static TapGuard inProcess(GuardEvaluator evaluator) {
    return () -> {
      GuardEvaluator.Session session = evaluator.open();
      return event -> session.accept(event).map(trip -> new TapGuard.Trip(trip.rule(), trip.seq()));
    };
  }
}
