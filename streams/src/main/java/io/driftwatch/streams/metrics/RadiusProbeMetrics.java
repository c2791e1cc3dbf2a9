package io.driftwatch.streams.metrics;

import io.driftwatch.producers.metrics.BoundedLabel;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The live radius probe's metrics (docs/radius.md, Live), by model: the radius it measured, and what
 * probing cost and how often it failed, so that a failing or starved probe shows without reading logs.
 */
public final class RadiusProbeMetrics {

  /** What became of a sampled generation. */
  public enum Outcome {
    /** Measured; a radius record was written. */
    PROBED,
    /** The server failed it (after retries) or answered something unusable. */
    FAILED,
    /** This hour's token budget did not hold its requests. */
    BUDGET,
    /** Too many finished generations were already waiting to be probed. */
    QUEUE_FULL,
    /** Too little context to truncate, or no model to ask for. */
    TOO_SHORT;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final BoundedLabel models;
  private final Counter generations;
  private final Counter requests;
  private final Counter tokens;
  private final Counter failedAttempts;
  private final Histogram radius;
  private final Gauge modelRadius;

  RadiusProbeMetrics(PrometheusRegistry registry, BoundedLabel models) {
    this.models = models;
    generations = Counter.builder().name("driftwatch_probe_generations_total")
        .help("Sampled generations the live radius probe finished with, by model and outcome (probed, failed, budget, queue_full, "
            + "too_short)")
        .labelNames("model", "outcome").register(registry);
    requests = Counter.builder().name("driftwatch_probe_requests_total")
        .help("Requests the live radius probe sent to the completions endpoint, retries included, by model")
        .labelNames("model").register(registry);
    tokens = Counter.builder().name("driftwatch_probe_tokens_total")
        .help("Prompt tokens the live radius probe sent, retries included, counted in the generations' tokens, by model")
        .labelNames("model").register(registry);
    failedAttempts = Counter.builder().name("driftwatch_probe_failed_attempts_total")
        .help("Probe requests that failed (connection error, timeout, 429, 5xx or a refused request), by model")
        .labelNames("model").register(registry);
    radius = Histogram.builder().name("driftwatch_probe_radius_tokens")
        .help("Effective context radius of each probed generation, in tokens, by model")
        .labelNames("model").classicExponentialUpperBounds(1, 2, 14).register(registry);
    modelRadius = Gauge.builder().name("driftwatch_probe_model_radius_tokens")
        .help("Effective context radius of a model's mean loss curve over its latest probed generations, in tokens, by model")
        .labelNames("model").register(registry);
  }

  public void outcome(String model, Outcome outcome) {
    generations.labelValues(models.of(model), outcome.label()).inc();
  }

  /** What one generation's probe cost, whatever its outcome. */
  public void cost(String model, long requestCount, long tokenCount, long failedAttemptCount) {
    String m = models.of(model);
    requests.labelValues(m).inc(requestCount);
    tokens.labelValues(m).inc(tokenCount);
    failedAttempts.labelValues(m).inc(failedAttemptCount);
  }

  public void generationRadius(String model, int tokensOfContext) {
    radius.labelValues(models.of(model)).observe(tokensOfContext);
  }

  /**
   * A model's radius over its window. Only models within the label cap are exported: two models
   * counted as {@code other} would give one series two values.
   */
  public void modelRadius(String model, int tokensOfContext) {
    if (models.of(model).equals(model)) {
      modelRadius.labelValues(model).set(tokensOfContext);
    }
  }

  public long outcomes(Outcome outcome) {
    return (long) generations.collect().getDataPoints().stream().filter(d -> d.getLabels().get("outcome").equals(outcome.label()))
        .mapToDouble(d -> d.getValue()).sum();
  }

  public long requestsTotal() {
    return (long) requests.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }
}
