package io.driftwatch.embeddings;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * Sentence embeddings from an ONNX sentence-transformer run by DJL's ONNX Runtime engine: the
 * HuggingFace tokenizer, one forward pass for a whole batch (padded to its longest input), mean pooling
 * of the token embeddings over the attention mask, then L2 normalisation, as sentence-transformers does
 * for all-MiniLM-L6-v2. Every returned vector has unit length, so a dot product is a cosine.
 *
 * <p>A call's forward passes can run on several threads at once ({@link #open(EmbeddingModel, OnnxOptions,
 * int)}): data parallelism, as against ONNX Runtime's intra-op threads, which split each operator of one
 * pass and wait for each other at every operator. Which thread runs a pass does not change its result,
 * so the vectors are the same whatever the parallelism.
 *
 * <p>Thread-safe: the ONNX Runtime session is shared and each thread of a call takes its own predictor. Once the
 * JVM has begun to exit, loads and embeddings wait for the exit instead of entering ONNX Runtime, and the
 * exit waits for those already inside ({@link NativeExitGuard}).
 */
public final class SentenceEmbedder implements AutoCloseable {

  static {
    // Everything Driftwatch needs is on the class path; DJL must never try to reach a model hub.
    System.setProperty("offline", "true");
  }

  /**
   * Largest difference allowed in any embedding component between a sentence embedded alone and in a
   * batch. Models that differ by more are run one sentence per forward pass (see {@link #batchCoupled()}).
   */
  public static final float BATCH_TOLERANCE = 1e-5f;

  /** Most sentences in one forward pass of a batch-independent model. */
  static final int MAX_FORWARD_BATCH = 64;

  private final EmbeddingModel model;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<NDList, NDList> onnx;
  private final int dimensions;
  private final boolean batchCoupled;
  private final ParallelPasses passes;
  /**
   * Calls of this embedder still running, and whether it is closed: close waits for the calls, since
   * freeing the tokenizer or the session under a running call crashes the process (a monitor's model
   * thread may still be embedding a queued batch when its owner closes the model).
   */
  private final Object use = new Object();
  private int calls;
  private boolean closed;

  /** Longest {@link #close} waits for calls still running before it leaves the native resources to the process's exit. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private SentenceEmbedder(EmbeddingModel model, HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> onnx, ParallelPasses passes) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.onnx = onnx;
    this.passes = passes;
    this.batchCoupled = batchEffect() > BATCH_TOLERANCE;
    this.dimensions = embedNow(List.of("dimension probe"), batchCoupled)[0].length;
  }

  /** Loads a model, with ONNX Runtime's default threads; throws {@link EmbeddingModelException} with the reason when it cannot. */
  public static SentenceEmbedder open(EmbeddingModel model) {
    return open(model, 0);
  }

  /**
   * Loads a model; throws {@link EmbeddingModelException} with the reason when it cannot.
   *
   * @param threads threads ONNX Runtime runs each forward pass on, or 0 for its default (one per
   *     core). Fewer leave cores to Kafka and the JIT; the model's threads wait for each other at
   *     every operator, so one of them descheduled stalls them all (docs/benchmarks.md measures it)
   */
  public static SentenceEmbedder open(EmbeddingModel model, int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be 0 (the default) or more, got " + threads);
    }
    return open(model, OnnxOptions.DEFAULTS.withIntraOpThreads(threads));
  }

  /** Loads a model with the given ONNX Runtime session options; throws {@link EmbeddingModelException} with the reason when it cannot. */
  public static SentenceEmbedder open(EmbeddingModel model, OnnxOptions options) {
    return open(model, options, 1);
  }

  /**
   * Loads a model whose calls run up to {@code parallelPasses} forward passes at once, each on a thread
   * of its own with its own predictor over the one session (each pass then runs on
   * {@code options.intraOpThreads()} threads): a batch-coupled model runs one sentence per pass, so a
   * call of many sentences keeps that many threads busy without them waiting for each other inside a
   * pass. The calling thread runs passes too; the others are daemon threads of this embedder, named
   * {@code driftwatch-embedding-pass-N}. Throws {@link EmbeddingModelException} with the reason when it
   * cannot load.
   */
  public static SentenceEmbedder open(EmbeddingModel model, OnnxOptions options, int parallelPasses) {
    return open(model, options, parallelPasses, ParallelPasses.daemonThreads("driftwatch-embedding-pass"));
  }

  /**
   * The same, with the helper threads of parallel passes made by {@code passThreads} (which should make
   * daemon threads). A caller that runs the model at a lower priority gives threads of that priority
   * here: the helpers are started by whichever thread first needs one, often the one that opens the
   * model, so they would not otherwise inherit the priority of the thread that later calls it.
   */
  public static SentenceEmbedder open(EmbeddingModel model, OnnxOptions options, int parallelPasses, ThreadFactory passThreads) {
    if (parallelPasses < 1) {
      throw new IllegalArgumentException("parallel passes must be at least 1, got " + parallelPasses);
    }
    return NativeExitGuard.JVM.call(() -> openNow(model, options, parallelPasses, passThreads));
  }

  private static SentenceEmbedder openNow(EmbeddingModel model, OnnxOptions options, int parallelPasses, ThreadFactory passThreads) {
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(model.tokenizer(), Map.of(
          "truncation", "true", "padding", "false", "maxLength", String.valueOf(model.maxTokens())));
    } catch (IOException | RuntimeException e) {
      throw new EmbeddingModelException("cannot load tokenizer " + model.tokenizer() + ": " + e.getMessage(), e);
    }
    try {
      Criteria.Builder<NDList, NDList> builder = Criteria.builder()
          .setTypes(NDList.class, NDList.class)
          .optModelPath(model.onnx())
          .optEngine("OnnxRuntime")
          .optTranslator(new NoopTranslator())
          .optOption("intraOpNumThreads", String.valueOf(options.intraOpThreads()))
          .optOption("optLevel", options.optLevel())
          .optOption("executionMode", options.executionMode());
      if (options.interOpThreads() > 0) {
        builder.optOption("interOpNumThreads", String.valueOf(options.interOpThreads()));
      }
      Criteria<NDList, NDList> criteria = builder.build();
      ZooModel<NDList, NDList> onnx = criteria.loadModel();
      ParallelPasses passes = new ParallelPasses(parallelPasses, passThreads);
      try {
        return new SentenceEmbedder(model, tokenizer, onnx, passes);
      } catch (RuntimeException e) {
        passes.close();
        onnx.close();
        throw e;
      }
    } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
      tokenizer.close();
      throw e instanceof EmbeddingModelException known ? known
          : new EmbeddingModelException("cannot load embedding model " + model.onnx() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Work that uses embedders and should stop before the process exits on SIGTERM or Ctrl-C, while the
   * model still runs: closing the Kafka Streams application, say, so that its stream threads finish
   * their batches and commit rather than wait for the exit in a model call that will never run. Runs on
   * the signal, before the shutdown hooks; closing the same thing again in a hook must be harmless.
   */
  public static void stopBeforeExit(Runnable stop) {
    NativeExitGuard.JVM.beforeExit(stop);
  }

  public EmbeddingModel model() {
    return model;
  }

  /** Length of every embedding (384 for all-MiniLM-L6-v2). */
  public int dimensions() {
    return dimensions;
  }

  /**
   * Whether a sentence's embedding depends on the other sentences of its batch. It does for dynamically
   * quantized models such as the bundled one: ONNX Runtime's DynamicQuantizeLinear takes one scale for
   * the whole activation tensor, so batch neighbours shift every row (measured: 1 − cosine up to 0.02).
   * Such models run one sentence per forward pass, which keeps scores independent of batching; others
   * run in batches of similar length.
   */
  public boolean batchCoupled() {
    return batchCoupled;
  }

  /** Most forward passes one call runs at once, each on a thread of its own. */
  public int parallelPasses() {
    return passes.parallelism();
  }

  /** Calls of {@link #embed} running now. */
  int callsRunning() {
    synchronized (use) {
      return calls;
    }
  }

  /** Unit-length embeddings of the texts, in order. */
  public float[][] embed(List<String> texts) {
    return embed(texts, batchCoupled);
  }

  /**
   * Embeds in padded batches of similar length even when the model is batch-coupled, whose results then
   * depend on the batch: only for measuring the model's raw batched throughput, never for scores.
   */
  public float[][] embedPaddedForBenchmark(List<String> texts) {
    return embed(texts, false);
  }

  private float[][] embed(List<String> texts, boolean oneByOne) {
    synchronized (use) {
      if (closed) {
        throw new IllegalStateException("the embedding model " + model.name() + " is closed");
      }
      calls++;
    }
    try {
      return NativeExitGuard.JVM.call(() -> embedNow(texts, oneByOne));
    } finally {
      synchronized (use) {
        calls--;
        use.notifyAll();
      }
    }
  }

  private float[][] embedNow(List<String> texts, boolean oneByOne) {
    if (texts.isEmpty()) {
      return new float[0][];
    }
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int[][] plan = oneByOne ? onePerPass(encodings.length) : batchesOfSimilarLength(encodings);
    float[][] result = new float[encodings.length][];
    passes.run(plan.length, () -> new ParallelPasses.Worker() {
      private final Predictor<NDList, NDList> predictor = onnx.newPredictor();

      @Override
      public void pass(int index) {
        int[] members = plan[index];
        Encoding[] part = new Encoding[members.length];
        for (int i = 0; i < members.length; i++) {
          part[i] = encodings[members[i]];
        }
        float[][] vectors = forward(predictor, part);
        for (int i = 0; i < members.length; i++) {
          result[members[i]] = vectors[i];
        }
      }

      @Override
      public void close() {
        predictor.close();
      }
    });
    return result;
  }

  private static int[][] onePerPass(int count) {
    int[][] plan = new int[count][];
    for (int i = 0; i < count; i++) {
      plan[i] = new int[] {i};
    }
    return plan;
  }

  /**
   * The texts' indexes in forward passes of at most {@link #MAX_FORWARD_BATCH}, sorted by length so that
   * each pass pads as little as possible. Fixed before any pass runs, so a text's batch neighbours do
   * not depend on how many passes run at once.
   */
  private static int[][] batchesOfSimilarLength(Encoding[] encodings) {
    Integer[] order = new Integer[encodings.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
    int[][] plan = new int[(order.length + MAX_FORWARD_BATCH - 1) / MAX_FORWARD_BATCH][];
    for (int p = 0; p < plan.length; p++) {
      int from = p * MAX_FORWARD_BATCH;
      int to = Math.min(order.length, from + MAX_FORWARD_BATCH);
      plan[p] = new int[to - from];
      for (int i = from; i < to; i++) {
        plan[p][i - from] = order[i];
      }
    }
    return plan;
  }

  private float[][] forward(Predictor<NDList, NDList> predictor, Encoding[] encodings) {
    int batch = encodings.length;
    int length = 1;
    for (Encoding e : encodings) {
      length = Math.max(length, e.getIds().length);
    }
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    long[] types = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      long[] tokenIds = encodings[b].getIds();
      System.arraycopy(tokenIds, 0, ids, b * length, tokenIds.length);
      System.arraycopy(encodings[b].getAttentionMask(), 0, mask, b * length, tokenIds.length);
      System.arraycopy(encodings[b].getTypeIds(), 0, types, b * length, tokenIds.length);
    }
    Shape shape = new Shape(batch, length);
    try (NDManager manager = onnx.getNDManager().newSubManager()) {
      NDArray inputIds = manager.create(LongBuffer.wrap(ids), shape);
      inputIds.setName("input_ids");
      NDArray attentionMask = manager.create(LongBuffer.wrap(mask), shape);
      attentionMask.setName("attention_mask");
      NDArray tokenTypes = manager.create(LongBuffer.wrap(types), shape);
      tokenTypes.setName("token_type_ids");
      NDList output = predictor.predict(new NDList(inputIds, attentionMask, tokenTypes));
      NDArray tokenEmbeddings = output.get(0);
      Shape out = tokenEmbeddings.getShape();
      if (out.dimension() != 3 || out.get(0) != batch || out.get(1) != length) {
        throw new EmbeddingModelException("model " + model.name() + " returned shape " + out
            + "; expected token embeddings of shape (" + batch + ", " + length + ", dimensions)");
      }
      return meanPoolAndNormalise(tokenEmbeddings.toFloatArray(), mask, batch, length, (int) out.get(2));
    } catch (TranslateException e) {
      throw new EmbeddingModelException("embedding model " + model.name() + " failed on a batch of " + batch + ": " + e.getMessage(), e);
    }
  }

  /** Largest component difference between each probe sentence embedded alone and in one batch. */
  private double batchEffect() {
    List<String> probe = List.of("A short one.", "A somewhat longer sentence about the weather at sea.",
        "The longest of the three probe sentences, which goes on for a while about nothing in particular at all.");
    Encoding[] encodings = tokenizer.batchEncode(probe);
    try (Predictor<NDList, NDList> predictor = onnx.newPredictor()) {
      float[][] together = forward(predictor, encodings);
      double max = 0;
      for (int i = 0; i < encodings.length; i++) {
        float[] alone = forward(predictor, new Encoding[] {encodings[i]})[0];
        for (int d = 0; d < alone.length; d++) {
          max = Math.max(max, Math.abs(alone[d] - together[i][d]));
        }
      }
      return max;
    }
  }

  static float[][] meanPoolAndNormalise(float[] tokens, long[] mask, int batch, int length, int dims) {
    float[][] result = new float[batch][dims];
    for (int b = 0; b < batch; b++) {
      double[] sum = new double[dims];
      int count = 0;
      for (int t = 0; t < length; t++) {
        if (mask[b * length + t] == 0) {
          continue;
        }
        count++;
        int base = (b * length + t) * dims;
        for (int d = 0; d < dims; d++) {
          sum[d] += tokens[base + d];
        }
      }
      double norm = 0;
      for (int d = 0; d < dims; d++) {
        sum[d] /= Math.max(1, count);
        norm += sum[d] * sum[d];
      }
      norm = Math.sqrt(norm);
      for (int d = 0; d < dims; d++) {
        result[b][d] = norm == 0 ? 0f : (float) (sum[d] / norm);
      }
    }
    return result;
  }

  /**
   * Refuses new calls, waits for those still running (at most {@link #CLOSE_WAIT}), then frees the model.
   * Calls still running after the wait keep the model: it is left to the process's exit rather than
   * freed under them.
   */
  @Override
  public void close() {
    synchronized (use) {
      if (closed) {
        return;
      }
      closed = true;
      long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
      while (calls > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          use.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    passes.close();
    NativeExitGuard.JVM.release(() -> {
      try {
        onnx.close();
      } finally {
        tokenizer.close();
      }
    });
  }
}
