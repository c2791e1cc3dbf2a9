package io.driftwatch.producers.tap;

import java.util.Map;

/**
 * What the tap adds to every start event besides what it reads from the traffic.
 *
 * @param runId the start events' run id
 * @param attributes fixed labels for every generation (deployment, team, ...); the tap adds path, endpoint
 *     and stream to them
 */
public record TapContext(String runId, Map<String, String> attributes) {

  public static final String DEFAULT_RUN_ID = "tap";

  public TapContext {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("the run id must not be blank");
    }
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
