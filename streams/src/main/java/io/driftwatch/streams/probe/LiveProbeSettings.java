package io.driftwatch.streams.probe;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the live radius probe runs beside the monitor (docs/radius.md, Live).
 *
 * @param endpoint the OpenAI-compatible server's root or its {@code /v1}
 * @param model the model name to ask for; null: each generation's own model, as its start event names it.
 *     When set, only generations of that model are probed
 * @param apiKey sent as a bearer token; null for none
 * @param rate share of finished generations probed, chosen by a hash of their id
 * @param tokenBudgetPerHour prompt tokens the probe may send per clock hour, retries included
 * @param requestsPerSecond request starts per second at most, retries included
 * @param targetTokens last generated tokens of each generation whose loss is measured
 * @param minContext the ladder's first rung
 * @param tolerance excess loss in nats per token that still counts as the full context's
 * @param batch prompts per request
 * @param attempts attempts per request on connection errors, timeouts, 429 and 5xx
 * @param firstBackoff the wait before the first retry; each further one waits twice as long
 * @param timeout timeout of one request
 * @param maxTokens 0, or 1 for servers that refuse 0
 * @param maxOpen sampled generations assembled at once
 * @param maxTokensPerGeneration tokens kept per sampled generation
 * @param queue finished generations waiting to be probed before further ones are skipped
 * @param window generations per model the per-model radius averages
 */
public record LiveProbeSettings(
    URI endpoint,
    String model,
    String apiKey,
    double rate,
    long tokenBudgetPerHour,
    double requestsPerSecond,
    int targetTokens,
    int minContext,
    double tolerance,
    int batch,
    int attempts,
    Duration firstBackoff,
    Duration timeout,
    int maxTokens,
    int maxOpen,
    int maxTokensPerGeneration,
    int queue,
    int window) {

  public static final long DEFAULT_TOKEN_BUDGET_PER_HOUR = 200_000;
  public static final double DEFAULT_REQUESTS_PER_SECOND = 2;

  public LiveProbeSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("the probe endpoint must be an http:// or https:// URL, not " + endpoint);
    }
    if (endpoint.getUserInfo() != null || endpoint.getQuery() != null) {
      throw new IllegalArgumentException("the probe endpoint must carry no credentials or query; pass the API key separately");
    }
    new ProbeSampler(rate);
    if (tokenBudgetPerHour < 1) {
      throw new IllegalArgumentException("the probe's token budget per hour must be at least 1, not " + tokenBudgetPerHour);
    }
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("the probe's request rate must be a positive number per second, not " + requestsPerSecond);
    }
    if (targetTokens < 1 || minContext < 1 || maxOpen < 1 || maxTokensPerGeneration < 1 || queue < 1 || window < 1) {
      throw new IllegalArgumentException("target tokens, min context, open generations, tokens per generation, queue and window "
          + "must each be at least 1");
    }
    if (model != null && model.isBlank()) {
      model = null;
    }
  }

  /** The defaults of {@code driftwatch probe radius}, at the given endpoint and rate. */
  public static LiveProbeSettings defaults(URI endpoint, double rate) {
    return new LiveProbeSettings(endpoint, null, null, rate, DEFAULT_TOKEN_BUDGET_PER_HOUR, DEFAULT_REQUESTS_PER_SECOND, 16, 8, 0.05,
        8, 4, Duration.ofSeconds(1), Duration.ofSeconds(60), 0, 1_000, 8_192, 16, 64);
  }

  public LiveProbeSettings withModel(String m) {
    return new LiveProbeSettings(endpoint, m, apiKey, rate, tokenBudgetPerHour, requestsPerSecond, targetTokens, minContext, tolerance,
        batch, attempts, firstBackoff, timeout, maxTokens, maxOpen, maxTokensPerGeneration, queue, window);
  }

  public LiveProbeSettings withApiKey(String key) {
    return new LiveProbeSettings(endpoint, model, key, rate, tokenBudgetPerHour, requestsPerSecond, targetTokens, minContext, tolerance,
        batch, attempts, firstBackoff, timeout, maxTokens, maxOpen, maxTokensPerGeneration, queue, window);
  }

  public LiveProbeSettings withLimits(long budgetPerHour, double perSecond) {
    return new LiveProbeSettings(endpoint, model, apiKey, rate, budgetPerHour, perSecond, targetTokens, minContext, tolerance,
        batch, attempts, firstBackoff, timeout, maxTokens, maxOpen, maxTokensPerGeneration, queue, window);
  }

  public LiveProbeSettings withLadder(int target, int firstRung, Duration backoff, int attemptsPerRequest) {
    return new LiveProbeSettings(endpoint, model, apiKey, rate, tokenBudgetPerHour, requestsPerSecond, target, firstRung, tolerance,
        batch, attemptsPerRequest, backoff, timeout, maxTokens, maxOpen, maxTokensPerGeneration, queue, window);
  }

  public LiveProbeSettings withQueue(int waiting) {
    return new LiveProbeSettings(endpoint, model, apiKey, rate, tokenBudgetPerHour, requestsPerSecond, targetTokens, minContext, tolerance,
        batch, attempts, firstBackoff, timeout, maxTokens, maxOpen, maxTokensPerGeneration, waiting, window);
  }

  @Override
  public String toString() {
    // Records print every component; the key must not reach a log through this.
    return "LiveProbeSettings[endpoint=" + endpoint + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "set")
        + ", rate=" + rate + ", tokenBudgetPerHour=" + tokenBudgetPerHour + ", requestsPerSecond=" + requestsPerSecond + "]";
  }
}
