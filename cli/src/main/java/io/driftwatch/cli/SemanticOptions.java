package io.driftwatch.cli;

import io.driftwatch.embeddings.EmbeddingModel;
import io.driftwatch.embeddings.EmbeddingModelException;
import io.driftwatch.embeddings.EmbeddingSelfCheck;
import io.driftwatch.embeddings.OnnxOptions;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.scoring.EmbeddingExecutor;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The semantic-scoring options of every command that loads the model (a picocli mixin): which model, and
 * how it runs. A monitor's own (batch timing, the model thread) are {@link MonitorSemanticOptions}.
 */
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

  @Option(names = "--embedding-threads", paramLabel = "N", defaultValue = "0",
      description = "Threads the model runs each forward pass on: they split every operator of the pass and wait for each "
          + "other at each one. 0 picks: 1 for each of several passes at once (--embedding-parallel), otherwise half the "
          + "cores (at least one) where Kafka shares the machine (run, demo, bench pipeline) and every core offline "
          + "(default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--embedding-parallel", paramLabel = "N", defaultValue = "0",
      description = "Forward passes the model runs at once, each on a thread of its own: a model call's sentences are "
          + "shared out among them (the bundled model embeds one sentence per pass). Unlike --embedding-threads, the "
          + "threads never wait for each other within a pass. The vectors are the same whatever N. 0 picks: 1, one pass "
          + "at a time, which leaves the stream threads a core for the cheap alerts when the model falls behind; more "
          + "pays where cores are spare (docs/benchmarks.md) (default: ${DEFAULT-VALUE}).")
  int parallel;

  boolean enabled() {
    return !disabled;
  }

  /**
   * Loads the model for offline scoring (one pass at a time on every core, unless --embedding-threads or
   * --embedding-parallel say otherwise) and runs its self-check, saying what it loaded; null when
   * semantic scoring is off. The caller closes the returned embedder.
   */
  SentenceEmbedder open(PrintStream out) {
    int passes = passes();
    return open(out, threads > 0 || passes == 1 ? threads : 1, passes, 0);
  }

  /** The model alone with a thread per core for each pass, one pass at a time: one of the pipeline benchmark's upper bounds. */
  SentenceEmbedder openEveryCore(PrintStream out) {
    return open(out, 0, 1, 0);
  }

  /** The model alone with a pass per core at once, each on one thread: the pipeline benchmark's other upper bound. */
  SentenceEmbedder openPassPerCore(PrintStream out) {
    return open(out, 1, Runtime.getRuntime().availableProcessors(), 0);
  }

  /** Forward passes at once as --embedding-parallel asks, 0 picking one. */
  int passes() {
    return parallel > 0 ? parallel : 1;
  }

  SentenceEmbedder open(PrintStream out, int threads, int passes, int passNice) {
    if (disabled) {
      return null;
    }
    if ((model == null) != (tokenizer == null)) {
      throw new UserFacingException("--embedding-model and --embedding-tokenizer go together: give both, or neither for the bundled model");
    }
    if (batch < 1) {
      throw new UserFacingException("--embedding-batch must be at least 1");
    }
    if (threads < 0) {
      throw new UserFacingException("--embedding-threads must be 0 (the default) or more");
    }
    if (parallel < 0) {
      throw new UserFacingException("--embedding-parallel must be 0 (the default) or more");
    }
    try {
      EmbeddingModel chosen = model == null ? EmbeddingModel.bundled() : EmbeddingModel.onDisk(model, tokenizer);
      SentenceEmbedder embedder = SentenceEmbedder.open(chosen, OnnxOptions.DEFAULTS.withIntraOpThreads(threads), passes,
          EmbeddingExecutor.niceThreads("driftwatch-embedding-pass", passNice));
      try {
        EmbeddingSelfCheck.Result check = EmbeddingSelfCheck.verify(embedder);
        String perPass = threads == 0 ? "a thread per core" : threads == 1 ? "1 thread" : threads + " threads";
        out.printf("Semantic scores: %s, %d dimensions, %s (self-check: paraphrase %.2f, unrelated %.2f)%n",
            chosen.name(), embedder.dimensions(), passes == 1 ? perPass : passes + " passes at once, each on " + perPass,
            check.paraphrase(), check.unrelated());
        return embedder;
      } catch (RuntimeException e) {
        embedder.close();
        throw e;
      }
    } catch (EmbeddingModelException e) {
      throw new UserFacingException(e.getMessage() + " (--no-semantic runs without semantic scores)");
    }
  }
}
