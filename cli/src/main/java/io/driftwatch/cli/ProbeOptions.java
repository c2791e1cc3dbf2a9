package io.driftwatch.cli;

import io.driftwatch.streams.probe.LiveProbeSettings;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/** The live radius probe's options of {@code run} (a picocli mixin); docs/radius.md, Live. */
final class ProbeOptions {

  @Option(names = "--probe-endpoint", paramLabel = "URL",
      description = "Measure the effective context radius of live generations by probing this OpenAI-compatible server "
          + "(completions with echo and logprobs); radius records go to the radius topic and to the metrics (default: no probe).")
  String endpoint;

  @Option(names = "--probe-rate", paramLabel = "SHARE", defaultValue = "0.01",
      description = "Share of finished generations probed, chosen by a hash of their id (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--probe-model", paramLabel = "NAME",
      description = "Model name to ask the server for; only generations of that model are probed (default: each generation's own model).")
  String model;

  @Option(names = "--probe-token-budget", paramLabel = "N", defaultValue = "" + LiveProbeSettings.DEFAULT_TOKEN_BUDGET_PER_HOUR,
      description = "Prompt tokens the probe may send per hour, retries included; generations past it are skipped and counted "
          + "(default: ${DEFAULT-VALUE}).")
  long tokenBudget;

  @Option(names = "--probe-requests-per-second", paramLabel = "R", defaultValue = "" + LiveProbeSettings.DEFAULT_REQUESTS_PER_SECOND,
      description = "Requests per second to the probe endpoint at most, retries included (default: ${DEFAULT-VALUE}).")
  double requestsPerSecond;

  @Option(names = "--probe-api-key-env", paramLabel = "VAR",
      description = "Environment variable holding the probe endpoint's API key, sent as a bearer token (default: none is sent).")
  String apiKeyEnv;

  /** The probe's settings; null when no endpoint was given. */
  LiveProbeSettings settings() {
    if (endpoint == null) {
      if (model != null || apiKeyEnv != null) {
        throw new UserFacingException("--probe-model and --probe-api-key-env need --probe-endpoint");
      }
      return null;
    }
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new UserFacingException("--probe-endpoint " + endpoint + " is not a URL: " + e.getReason());
    }
    String key = null;
    if (apiKeyEnv != null) {
      key = CliChecks.apiKeyFromEnv("--probe-api-key-env", apiKeyEnv);
    }
    try {
      return LiveProbeSettings.defaults(uri, rate).withModel(model).withApiKey(key).withLimits(tokenBudget, requestsPerSecond);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException("--probe-endpoint/--probe-rate/--probe-token-budget/--probe-requests-per-second: " + e.getMessage());
    }
  }
}
