package io.driftwatch.cli;

import io.driftwatch.embeddings.EmbeddingModel;
import io.driftwatch.embeddings.EmbeddingModelException;
import io.driftwatch.embeddings.EmbeddingSelfCheck;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The semantic-scoring options shared by {@code run}, {@code demo} and {@code score} (a picocli mixin). */
final class SemanticOptions {

  @Option(names = "--no-semantic", description = "Skip the semantic scores (no sentence-embedding model is loaded).")
  boolean disabled;

  @Option(names = "--embedding-model", paramLabel = "FILE",
      description = "An ONNX sentence-embedding model to use instead of the bundled all-MiniLM-L6-v2; needs --embedding-tokenizer.")
  Path model;

  @Option(names = "--embedding-tokenizer", paramLabel = "FILE", description = "The HuggingFace tokenizer.json of --embedding-model.")
  Path tokenizer;

  @Option(names = "--embedding-batch", paramLabel = "N",
      description = "Most sentences embedded together in one model call (default: ${DEFAULT-VALUE}).", defaultValue = "64")
  int batch;

  @Option(names = "--embedding-delay", paramLabel = "TIME", converter = DurationConverter.class,
      description = "Longest a completed sentence waits for its batch to fill (default: ${DEFAULT-VALUE}).", defaultValue = "20ms")
  Duration delay;

  boolean enabled() {
    return !disabled;
  }

  /**
   * Loads the model and runs its self-check, saying what it loaded; null when semantic scoring is off.
   * The caller closes the returned embedder.
   */
  SentenceEmbedder open(PrintStream out) {
    if (disabled) {
      return null;
    }
    if ((model == null) != (tokenizer == null)) {
      throw new UserFacingException("--embedding-model and --embedding-tokenizer go together: give both, or neither for the bundled model");
    }
    if (batch < 1) {
      throw new UserFacingException("--embedding-batch must be at least 1");
    }
    if (delay.isZero() || delay.isNegative()) {
      throw new UserFacingException("--embedding-delay must be positive, for example 20ms");
    }
    try {
      EmbeddingModel chosen = model == null ? EmbeddingModel.bundled() : EmbeddingModel.onDisk(model, tokenizer);
      SentenceEmbedder embedder = SentenceEmbedder.open(chosen);
      try {
        EmbeddingSelfCheck.Result check = EmbeddingSelfCheck.verify(embedder);
        out.printf("Semantic scores: %s, %d dimensions (self-check: paraphrase %.2f, unrelated %.2f)%n",
            chosen.name(), embedder.dimensions(), check.paraphrase(), check.unrelated());
        return embedder;
      } catch (RuntimeException e) {
        embedder.close();
        throw e;
      }
    } catch (EmbeddingModelException e) {
      throw new UserFacingException(e.getMessage() + " (--no-semantic runs without semantic scores)");
    }
  }

  SemanticScoring scoring(SentenceEmbedder embedder) {
    return embedder == null ? null : new SemanticScoring(embedder::embed, batch, delay);
  }
}
