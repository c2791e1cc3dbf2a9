package io.driftwatch.scoring.compare;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.ScoreRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One run as compare sees it: the summary scores of each generation, and the alert rules that fired for
 * it, keyed by the generation's row: its id without the {@code <run id>:} prefix that replay and score
 * put in front, so that two replays of one archive line up row by row.
 *
 * @param label how the run is named in the report
 * @param summaries row to its summary scores, in the order the generations closed
 * @param alerted row to the rules that fired for it (rows without alerts are absent)
 */
public record RunScores(String label, Map<String, Map<String, Double>> summaries, Map<String, Set<String>> alerted) {

  public RunScores {
    summaries = Collections.unmodifiableMap(new LinkedHashMap<>(summaries));
    alerted = Collections.unmodifiableMap(new LinkedHashMap<>(alerted));
  }

  public int generations() {
    return summaries.size();
  }

  /** Every score some generation of the run has, sorted. */
  public Set<String> scoreNames() {
    Set<String> names = new TreeSet<>();
    summaries.values().forEach(s -> names.addAll(s.keySet()));
    return names;
  }

  /** The values of one score over the generations that have it, in generation order. */
  public double[] values(String score) {
    return summaries.values().stream().map(s -> s.get(score)).filter(v -> v != null && Double.isFinite(v))
        .mapToDouble(Double::doubleValue).toArray();
  }

  /** Generations for which {@code rule} fired at least once. */
  public int alertedGenerations(String rule) {
    return (int) alerted.entrySet().stream().filter(e -> summaries.containsKey(e.getKey()) && e.getValue().contains(rule)).count();
  }

  /** The row a generation id stands for: the id without its run id prefix, when it has one. */
  public static String row(String generationId, String runId) {
    return runId != null && generationId.startsWith(runId + ":") ? generationId.substring(runId.length() + 1) : generationId;
  }

  /** Collects a run's records in any order: summaries and firing alerts; sentence records are left out. */
  public static final class Builder {
    private final String label;
    private final Map<String, Map<String, Double>> summaries = new LinkedHashMap<>();
    private final Map<String, Set<String>> alerted = new LinkedHashMap<>();

    public Builder(String label) {
      this.label = label;
    }

    public Builder add(ScoreRecord record) {
      if (ScoreRecord.SUMMARY.equals(record.kind())) {
        summaries.put(row(record.generationId(), record.runId()), record.scores());
      }
      return this;
    }

    public Builder add(AlertEvent alert) {
      if (AlertEvent.FIRING.equals(alert.state())) {
        alerted.computeIfAbsent(row(alert.generationId(), alert.runId()), k -> new TreeSet<>()).add(alert.rule());
      }
      return this;
    }

    /** A closed generation's summary scores, as a live view holds them. */
    public Builder addSummary(String generationId, String runId, Map<String, Double> scores) {
      summaries.put(row(generationId, runId), scores);
      return this;
    }

    /** A rule that fired for a generation. */
    public Builder addAlerted(String generationId, String runId, String rule) {
      alerted.computeIfAbsent(row(generationId, runId), k -> new TreeSet<>()).add(rule);
      return this;
    }

    public RunScores build() {
      return new RunScores(label, summaries, alerted);
    }
  }
}
