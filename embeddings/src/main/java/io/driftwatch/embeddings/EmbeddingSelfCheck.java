package io.driftwatch.embeddings;

import java.util.List;

/**
 * A start-up check that the model says something sensible: a paraphrase pair must be much closer than
 * an unrelated pair. Catches a missing or corrupt model file, a tokenizer that does not belong to the
 * model, and models whose output is not a sentence embedding, before any score is computed with them.
 */
public final class EmbeddingSelfCheck {

  /** The paraphrase pair must be at least this similar ... */
  static final double MIN_PARAPHRASE = 0.6;
  /** ... and the unrelated pair at most this. */
  static final double MAX_UNRELATED = 0.35;

  private static final String A = "The cat sat quietly on the warm kitchen floor.";
  private static final String PARAPHRASE = "A cat was sitting calmly on the heated floor of the kitchen.";
  private static final String UNRELATED = "Quarterly interest rates on government bonds rose sharply.";

  /** Similarities the check measured. */
  public record Result(double paraphrase, double unrelated) {}

  private EmbeddingSelfCheck() {}

  /** Runs the check; throws {@link EmbeddingModelException} saying what is wrong when it fails. */
  public static Result verify(SentenceEmbedder embedder) {
    float[][] e = embedder.embed(List.of(A, PARAPHRASE, UNRELATED));
    Result r = new Result(dot(e[0], e[1]), dot(e[0], e[2]));
    if (!(r.paraphrase() >= MIN_PARAPHRASE && r.unrelated() <= MAX_UNRELATED)) {
      throw new EmbeddingModelException(String.format(
          "embedding model %s failed its self-check: paraphrase similarity %.3f (needs >= %.2f), unrelated %.3f"
              + " (needs <= %.2f); is the tokenizer the model's own, and is the model a sentence-embedding model?",
          embedder.model().name(), r.paraphrase(), MIN_PARAPHRASE, r.unrelated(), MAX_UNRELATED));
    }
    return r;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
