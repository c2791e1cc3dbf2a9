package io.driftwatch.cli;

import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.scoring.EmbeddingExecutor;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The semantic-scoring options of a monitor ({@code run}, {@code demo}, {@code bench pipeline}): the
 * model's ({@link SemanticOptions}) and how the monitor feeds it, which offline scoring has no use for.
 */
final class MonitorSemanticOptions {

  @Mixin SemanticOptions model;

  @Option(names = "--embedding-delay", paramLabel = "TIME", converter = DurationConverter.class,
      description = "Longest a completed sentence waits for its batch to fill (default: ${DEFAULT-VALUE}).", defaultValue = "20ms")
  Duration delay;

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
    return model.enabled();
  }

  int batch() {
    return model.batch;
  }

  /**
   * Loads the model for a monitor, which shares the machine with Kafka Streams (and often the broker): at
   * most half the cores for a pass unless --embedding-threads says otherwise, since ONNX Runtime's threads
   * wait for each other at every operator, so one descheduled by Kafka or the JIT stalls the pass
   * (docs/benchmarks.md measures both that and parallel passes). Its parallel passes run at the model
   * thread's nice value (--embedding-nice), unless the model runs on the stream threads. Null when
   * semantic scoring is off.
   */
  SentenceEmbedder openBesideKafka(PrintStream out) {
    if (delay.isZero() || delay.isNegative()) {
      throw new UserFacingException("--embedding-delay must be positive, for example 20ms");
    }
    int passes = model.passes();
    int perPass = model.threads > 0 ? model.threads : passes > 1 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return model.open(out, perPass, passes, onStreamThread ? 0 : checkedNice());
  }

  /** The model alone with a thread per core for each pass, one pass at a time: one of the pipeline benchmark's upper bounds. */
  SentenceEmbedder openEveryCore(PrintStream out) {
    return model.openEveryCore(out);
  }

  /** The model alone with a pass per core at once, each on one thread: the pipeline benchmark's other upper bound. */
  SentenceEmbedder openPassPerCore(PrintStream out) {
    return model.openPassPerCore(out);
  }

  /** How a monitor runs the model: its batching, and off the stream threads unless --embed-on-stream-thread. */
  SemanticScoring scoring(SentenceEmbedder embedder) {
    if (embedder == null) {
      return null;
    }
    SemanticScoring scoring = new SemanticScoring(embedder::embed, model.batch, delay);
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
