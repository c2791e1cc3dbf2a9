package io.driftwatch.producers.tap;

import java.util.Optional;

/**
 * The OpenAI-compatible endpoints whose traffic the tap turns into generation events. Everything else
 * passes through untouched.
 */
public enum Endpoint {
  CHAT("chat.completions", "/chat/completions"),
  COMPLETIONS("completions", "/completions");

  private final String label;
  private final String suffix;

  Endpoint(String label, String suffix) {
    this.label = label;
    this.suffix = suffix;
  }

  /** The name used in the {@code endpoint} attribute and in metric labels. */
  public String label() {
    return label;
  }

  /**
   * The endpoint a request generates on, if any: a POST to {@code /v1/chat/completions} or
   * {@code /v1/completions}. Matching the path's end rather than all of it also covers servers that
   * mount the API under a prefix ({@code /openai/deployments/x/chat/completions}); GET on the same paths
   * (listing stored completions) generates nothing and passes through.
   */
  public static Optional<Endpoint> monitored(String method, String rawPath) {
    if (!"POST".equalsIgnoreCase(method) || rawPath == null) {
      return Optional.empty();
    }
    String path = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    // Chat first: "/chat/completions" also ends with "/completions".
    if (path.endsWith(CHAT.suffix)) {
      return Optional.of(CHAT);
    }
    if (path.endsWith(COMPLETIONS.suffix)) {
      return Optional.of(COMPLETIONS);
    }
    return Optional.empty();
  }
}
