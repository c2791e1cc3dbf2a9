package io.driftwatch.scoring.engine;

import java.time.Instant;

/**
 * A store that hands the calls every store must answer to another one (the optional ones keep their
 * defaults): a test overrides the one call it counts or breaks.
 */
class ForwardingGenerationStore implements GenerationStore {

  private final GenerationStore delegate;

  ForwardingGenerationStore(GenerationStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public GenerationState get(String generationId) {
    return delegate.get(generationId);
  }

  @Override
  public void put(String generationId, GenerationState state) {
    delegate.put(generationId, state);
  }

  @Override
  public void delete(String generationId) {
    delegate.delete(generationId);
  }

  @Override
  public boolean isClosed(String generationId) {
    return delegate.isClosed(generationId);
  }

  @Override
  public void markClosed(String generationId, Instant lastEventTime) {
    delegate.markClosed(generationId, lastEventTime);
  }
}
