package io.driftwatch.contract;

import java.util.List;

/**
 * The names of Driftwatch's topics. The defaults share the prefix {@code driftwatch.}; a deployment may
 * choose another prefix so that several monitors share one cluster.
 *
 * @param radius the live radius probe's records ({@link RadiusRecord}), written only when it runs
 */
public record Topics(String tokens, String scores, String alerts, String spans, String deadLetters, String radius) {

  public static final String DEFAULT_PREFIX = "driftwatch.";

  public static Topics defaults() {
    return withPrefix(DEFAULT_PREFIX);
  }

  public static Topics withPrefix(String prefix) {
    return new Topics(prefix + "tokens", prefix + "scores", prefix + "alerts", prefix + "spans", prefix + "dead-letters",
        prefix + "radius");
  }

  public List<String> all() {
    return List.of(tokens, scores, alerts, spans, deadLetters, radius);
  }
}
