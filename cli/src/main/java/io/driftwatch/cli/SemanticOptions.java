package io.driftwatch.cli;

import io.driftwatch.embeddings.EmbeddingModel;
import io.driftwatch.embeddings.EmbeddingModelException;
import io.driftwatch.embeddings.EmbeddingSelfCheck;
import io.driftwatch.embeddings.OnnxOptions;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.scoring.EmbeddingExecutor;
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

  @Option(names = "--embedding-nice", paramLabel = "N", defaultValue = "10",
      description = "Nice value of a monitor's model threads (Linux; 0, normal priority, to 19, the lowest). Above 0, a "
          + "model behind on its work leaves the cores to the stream threads, so the cheap scores and their alerts keep "
          + "their latency when the cores are too few (docs/benchmarks.md: loop alerts under overload); with cores to "
          + "spare it embeds as fast. 0 runs it like any other thread (default: ${DEFAULT-VALUE}).")
  int nice;

  @Option(names = "--embed-on-stream-thread",
      description = "Run the model on the stream threads, which then wait for each batch (the behaviour before model "
          + "calls moved to a thread of their own; kept to compare the two).")
  boolean onStreamThread;

  /**
   * The thread a monitor's model calls run on, shared by every stream task of this command: one, since
   * the model parallelises each call itself (--embedding-parallel, --embedding-threads). Made on first use; its thread is a
   * daemon, so it ends with the command's JVM.
   */
  private EmbeddingExecutor modelThread;

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

  /**
   * The same for a monitor, which shares the machine with Kafka Streams (and often the broker): at most
   * half the cores for a pass unless --embedding-threads says otherwise, since ONNX Runtime's threads
   * wait for each other at every operator, so one descheduled by Kafka or the JIT stalls the pass
   * (docs/benchmarks.md measures both that and parallel passes). Its parallel passes run at the model
   * thread's nice value (--embedding-nice), unless the model runs on the stream threads.
   */
  SentenceEmbedder openBesideKafka(PrintStream out) {
    int passes = passes();
    int perPass = threads > 0 ? threads : passes > 1 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return open(out, perPass, passes, onStreamThread ? 0 : checkedNice());
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
  private int passes() {
    return parallel > 0 ? parallel : 1;
  }

  private SentenceEmbedder open(PrintStream out, int threads, int passes, int passNice) {
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
    if (delay.isZero() || delay.isNegative()) {
      throw new UserFacingException("--embedding-delay must be positive, for example 20ms");
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

  /** How a monitor runs the model: its batching, and off the stream threads unless --embed-on-stream-thread. */
  SemanticScoring scoring(SentenceEmbedder embedder) {
    if (embedder == null) {
      return null;
    }
    SemanticScoring scoring = new SemanticScoring(embedder::embed, batch, delay);
    if (onStreamThread) {
      return scoring;
    }
    if (modelThread == null) {
      modelThread = new EmbeddingExecutor(1, checkedNice());
    }
    return scoring.offStreamThread(modelThread);
  }

  private int checkedNice() {
    if (nice < 0 || nice > EmbeddingExecutor.MAX_NICE) {
      throw new UserFacingException("--embedding-nice must be 0 to " + EmbeddingExecutor.MAX_NICE + ", got " + nice);
    }
    return nice;
  }
}
