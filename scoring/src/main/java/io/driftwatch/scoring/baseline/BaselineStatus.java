package io.driftwatch.scoring.baseline;

import java.util.Map;

/**
 * What a model's baseline looks like now, for metrics and the web view.
 *
 * @param source {@code learned} (first N generations), {@code run} (a named baseline run) or {@code file}
 * @param generations generations learned from
 * @param warmup generations needed before it is ready (N; for a file, what it was made from)
 * @param quantiles by score, the value at each of {@link #PERCENTILES}; empty while warming up
 */
public record BaselineStatus(String model, String source, int generations, int warmup, boolean ready,
    Map<String, Map<String, Double>> quantiles) {

  /** The percentiles shown for a ready baseline (labels of the quantile metric and the web view). */
  public static final double[] PERCENTILES = {50, 90, 99, 99.5};
}
