package io.driftwatch.producers.sdk;

import io.driftwatch.contract.GenerationEvent;
import java.util.Map;
import java.util.UUID;

/** What a start event says about a generation. */
public record GenerationInfo(
    String generationId, String runId, String model, String prompt, GenerationEvent.Sampling sampling, Map<String, String> attributes) {

  public GenerationInfo {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** A generation with a random id and no sampling parameters or attributes. */
  public static GenerationInfo of(String runId, String model, String prompt) {
    return new GenerationInfo(UUID.randomUUID().toString(), runId, model, prompt, null, Map.of());
  }

  public GenerationInfo withId(String id) {
    return new GenerationInfo(id, runId, model, prompt, sampling, attributes);
  }

  public GenerationInfo withAttributes(Map<String, String> more) {
    return new GenerationInfo(generationId, runId, model, prompt, sampling, more);
  }
}
