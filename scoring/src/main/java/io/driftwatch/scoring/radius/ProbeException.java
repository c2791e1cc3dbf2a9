package io.driftwatch.scoring.radius;

/** A probe request that failed for good: the server refused it, answered nonsense, or kept failing after retries. */
public class ProbeException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProbeException(String message) {
    super(message);
  }
}
