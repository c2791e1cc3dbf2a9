package io.driftwatch.embeddings;

/** The embedding model is missing, cannot be loaded, or fails its self-check. */
public final class EmbeddingModelException extends RuntimeException {

  public EmbeddingModelException(String message) {
    super(message);
  }

  public EmbeddingModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
