package io.driftwatch.producers.demo;

import java.util.List;

/**
 * How the demo generator plays.
 *
 * @param runId run id of all its generations; generation ids are {@code <runId>-<n>}
 * @param concurrency generations streaming at once
 * @param tokensPerSecond token rate of each generation
 * @param tokensPerGeneration length of each generation in tokens
 * @param models model names, taken in turn
 * @param seed randomness of passage choice
 */
public record DemoSettings(String runId, int concurrency, double tokensPerSecond, int tokensPerGeneration, List<String> models, long seed) {

  public DemoSettings {
    models = List.copyOf(models);
    if (concurrency < 1 || tokensPerSecond <= 0 || tokensPerGeneration < 8 || models.isEmpty()) {
      throw new IllegalArgumentException("need concurrency >= 1, tokens per second > 0, at least 8 tokens per generation and a model");
    }
  }

  /** The same settings for another run id: the demo names its run when its traffic starts. */
  public DemoSettings withRunId(String other) {
    return new DemoSettings(other, concurrency, tokensPerSecond, tokensPerGeneration, models, seed);
  }
}
