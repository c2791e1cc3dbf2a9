package io.driftwatch.scoring.compare;

import java.util.List;
import java.util.Map;

/**
 * Runs side by side: each score's distribution per run, histograms over shared bins, each run's difference
 * from the first (the baseline), alert rates per rule, and the rows that changed most.
 *
 * @param runs run labels, the baseline first, with their generation counts
 * @param distributions score to run label to its distribution
 * @param alignedRows per run after the baseline: rows it shares with the baseline
 */
public record Comparison(Map<String, Integer> runs, Comparer.Settings settings, Map<String, Map<String, Distribution>> distributions,
    Map<String, SharedHistogram> histograms, List<Difference> differences, List<AlertRate> alertRates,
    List<AlertRateDifference> alertDifferences, Map<String, Integer> alignedRows, List<ChangedRow> changedRows) {

  public String baseline() {
    return runs.keySet().iterator().next();
  }
}
