package io.driftwatch.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled model, run for real through DJL and ONNX Runtime. */
class SentenceEmbedderTest {

  private static SentenceEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = SentenceEmbedder.open(EmbeddingModel.bundled());
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  /**
   * A monitor's model thread may still be embedding a queued batch when its owner closes the model:
   * close waits for the call, which returns its embeddings, and later calls are refused. Freeing the
   * tokenizer under the running call instead aborts the whole JVM (a native panic in batchEncode).
   */
  @Test
  void closeWaitsForARunningCallAndLaterCallsAreRefused() throws Exception {
    SentenceEmbedder own = SentenceEmbedder.open(EmbeddingModel.bundled(), 1);
    assertCloseWaitsForARunningCall(own);
    own.close();
  }

  /** The same, when the running call's passes are spread over helper threads. */
  @Test
  void closeWaitsForEveryParallelPartOfARunningCall() throws Exception {
    assertCloseWaitsForARunningCall(SentenceEmbedder.open(EmbeddingModel.bundled(), OnnxOptions.DEFAULTS.withIntraOpThreads(1), 2));
  }

  /** Closes the model while a call of 150 sentences runs: the call completes whole, later calls are refused. */
  private static void assertCloseWaitsForARunningCall(SentenceEmbedder own) throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      texts.add("Sentence number " + i + " of a batch that takes the model a while to embed, one by one.");
    }
    java.util.concurrent.CompletableFuture<float[][]> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> own.embed(texts));
    while (own.callsRunning() == 0 && !running.isDone()) {
      Thread.onSpinWait();
    }
    own.close();
    assertThat(running.isDone()).as("close returned only after the running call").isTrue();
    assertThat(running.get()).hasNumberOfRows(150);
    assertThat(java.util.Arrays.asList(running.get())).doesNotContainNull();
    assertThatThrownBy(() -> own.embed(List.of("after close"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  /**
   * Splitting a call over concurrent forward passes changes nothing: the bundled model runs one sentence
   * per pass on one thread either way, so the vectors are bit for bit the same.
   */
  @Test
  void parallelPassesGiveBitIdenticalVectors() {
    List<String> texts = variedTexts(40);
    try (SentenceEmbedder one = SentenceEmbedder.open(EmbeddingModel.bundled(), OnnxOptions.DEFAULTS.withIntraOpThreads(1), 1);
        SentenceEmbedder two = SentenceEmbedder.open(EmbeddingModel.bundled(), OnnxOptions.DEFAULTS.withIntraOpThreads(1), 2)) {
      assertThat(one.parallelPasses()).isEqualTo(1);
      assertThat(two.parallelPasses()).isEqualTo(2);
      float[][] a = one.embed(texts);
      float[][] b = two.embed(texts);
      assertThat(b).hasNumberOfRows(texts.size());
      for (int i = 0; i < a.length; i++) {
        assertThat(b[i]).as("text %d", i).containsExactly(a[i]);
      }
    }
  }

  /**
   * The helpers of parallel passes come from the factory the owner gives, even though the first one is
   * started while the model opens: a monitor gives threads of its model thread's lower priority.
   */
  @Test
  void parallelPassesRunOnThreadsOfTheGivenFactory() {
    java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
    java.util.Set<String> ranOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.ThreadFactory threads = task -> {
      Thread t = new Thread(() -> {
        ranOn.add(Thread.currentThread().getName());
        task.run();
      }, "given-pass-" + made.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    try (SentenceEmbedder two = SentenceEmbedder.open(EmbeddingModel.bundled(), OnnxOptions.DEFAULTS.withIntraOpThreads(1), 2, threads)) {
      assertThat(two.embed(variedTexts(40))).hasNumberOfRows(40);
    }
    assertThat(made).as("one helper beside the caller").hasValue(1);
    assertThat(ranOn).containsExactly("given-pass-1");
  }

  /** Each vector comes back at its text's place, whichever thread embedded it. */
  @Test
  void parallelPassesKeepTheOrderOfTheTexts() {
    List<String> texts = variedTexts(24);
    try (SentenceEmbedder two = SentenceEmbedder.open(EmbeddingModel.bundled(), OnnxOptions.DEFAULTS.withIntraOpThreads(1), 2)) {
      float[][] forward = two.embed(texts);
      List<String> reversed = new ArrayList<>(texts);
      java.util.Collections.reverse(reversed);
      float[][] backward = two.embed(reversed);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(backward[texts.size() - 1 - i]).as("text %d", i).containsExactly(forward[i]);
        assertThat(forward[i]).as("text %d alone", i).containsExactly(two.embed(List.of(texts.get(i)))[0]);
      }
      assertThat(EmbeddingSelfCheck.dot(forward[0], forward[1])).as("distinct texts, distinct vectors").isLessThan(0.9999);
    }
  }

  private static List<String> variedTexts(int count) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      texts.add("Text " + i + " tells of " + "the long voyage and the storm at sea, ".repeat(i % 9) + "and then it ends.");
    }
    return texts;
  }

  @Test
  void embeddingsHave384UnitLengthDimensions() {
    float[][] e = embedder.embed(List.of("It is a truth universally acknowledged.", "Cape Cod is a peninsula."));
    assertThat(embedder.dimensions()).isEqualTo(384);
    for (float[] v : e) {
      assertThat(v).hasSize(384);
      assertThat(EmbeddingSelfCheck.dot(v, v)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void selfCheckPassesOnTheBundledModel() {
    EmbeddingSelfCheck.Result r = EmbeddingSelfCheck.verify(embedder);
    assertThat(r.paraphrase()).isGreaterThan(r.unrelated() + 0.3);
  }

  @Test
  void paraphrasesAreCloserThanUnrelatedSentences() {
    float[][] e = embedder.embed(List.of(
        "Elizabeth refused Mr. Darcy's proposal of marriage.",
        "Elizabeth turned down Darcy when he asked her to marry him.",
        "The ship sank in a storm off the coast of the cape."));
    assertThat(EmbeddingSelfCheck.dot(e[0], e[1])).isGreaterThan(EmbeddingSelfCheck.dot(e[0], e[2]) + 0.3);
  }

  @Test
  void sessionOptionsReachOnnxRuntime() {
    // Without graph optimisation the quantized model's fused operators run unfused: the same vectors
    // to within a small rounding difference, which shows the option reached the session.
    List<String> texts = List.of("It is a truth universally acknowledged.", "Cape Cod is a peninsula.",
        "The longest of the sentences goes on for a while about the weather at sea and the boats.");
    try (SentenceEmbedder unoptimised = SentenceEmbedder.open(EmbeddingModel.bundled(), OnnxOptions.DEFAULTS.withOptLevel("NO_OPT"))) {
      float[][] a = embedder.embed(texts);
      float[][] b = unoptimised.embed(texts);
      boolean anyDifference = false;
      for (int i = 0; i < a.length; i++) {
        assertThat(EmbeddingSelfCheck.dot(a[i], b[i])).isGreaterThan(0.98);
        anyDifference |= !java.util.Arrays.equals(a[i], b[i]);
      }
      assertThat(anyDifference).as("NO_OPT gave bit-identical vectors: was the option ignored?").isTrue();
    }
  }

  @Test
  void sessionOptionsAreCheckedBeforeTheModelLoads() {
    assertThatThrownBy(() -> OnnxOptions.DEFAULTS.withOptLevel("FAST")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ALL_OPT");
    assertThatThrownBy(() -> OnnxOptions.DEFAULTS.withExecutionMode("eager")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SEQUENTIAL");
    assertThatThrownBy(() -> OnnxOptions.DEFAULTS.withIntraOpThreads(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(OnnxOptions.DEFAULTS.withOptLevel("basic_opt").optLevel()).isEqualTo("BASIC_OPT");
    assertThat(OnnxOptions.DEFAULTS.withIntraOpThreads(1).describe()).isEqualTo("1 thread");
    assertThat(OnnxOptions.DEFAULTS.withIntraOpThreads(2).withExecutionMode("PARALLEL").describe())
        .isEqualTo("2 threads, ALL_OPT, PARALLEL");
  }

  @Test
  void batchingDoesNotChangeEmbeddingsBeyondFloatTolerance() {
    assertBatchIndependent(embedder);
  }

  @Test
  void theQuantizedModelIsDetectedAsBatchCoupled() {
    // Its dynamic quantization scales each batch as a whole: it must run one sentence per pass.
    assertThat(embedder.batchCoupled()).isTrue();
  }

  @Test
  void aFloatModelOnDiskRunsInRealBatchesWithTheSameResults(@TempDir Path dir) throws IOException {
    Path onnx = dir.resolve("all-minilm-l6-v2.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    try (var in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
      Files.copy(in, onnx);
    }
    try (var in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
      Files.copy(in, tokenizer);
    }
    try (SentenceEmbedder floatModel = SentenceEmbedder.open(EmbeddingModel.onDisk(onnx, tokenizer))) {
      assertThat(floatModel.batchCoupled()).isFalse();
      assertThat(floatModel.dimensions()).isEqualTo(384);
      EmbeddingSelfCheck.verify(floatModel);
      assertBatchIndependent(floatModel);
      // Its passes are batches fixed before any runs, so spreading them over threads changes nothing.
      List<String> texts = variedTexts(150);
      float[][] serial = floatModel.embed(texts);
      try (SentenceEmbedder parallel = SentenceEmbedder.open(EmbeddingModel.onDisk(onnx, tokenizer), OnnxOptions.DEFAULTS, 2)) {
        float[][] split = parallel.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
          assertThat(split[i]).as("text %d", i).containsExactly(serial[i]);
        }
      }
      // The quantized model is a close approximation of this one.
      String text = "Mr. Bennet was among the earliest of those who waited on Mr. Bingley.";
      assertThat(EmbeddingSelfCheck.dot(floatModel.embed(List.of(text))[0], embedder.embed(List.of(text))[0])).isGreaterThan(0.95);
    }
  }

  private static void assertBatchIndependent(SentenceEmbedder model) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      texts.add("Sentence number " + i + " is " + "rather long and winding ".repeat(i % 7) + "but ends here.");
    }
    float[][] batched = model.embed(texts);
    for (int i = 0; i < texts.size(); i += 3) {
      float[] alone = model.embed(List.of(texts.get(i)))[0];
      for (int d = 0; d < alone.length; d++) {
        assertThat(batched[i][d]).isCloseTo(alone[d], within(SentenceEmbedder.BATCH_TOLERANCE));
      }
    }
  }

  @Test
  void emptyInputGivesNoEmbeddings() {
    assertThat(embedder.embed(List.of())).isEmpty();
  }

  @Test
  void aMissingModelFileIsReportedByPath(@TempDir Path dir) {
    assertThatThrownBy(() -> EmbeddingModel.onDisk(dir.resolve("model.onnx"), dir.resolve("tokenizer.json")))
        .isInstanceOf(EmbeddingModelException.class).hasMessageContaining("model.onnx");
  }

  @Test
  void aCorruptModelFailsWithAClearMessage(@TempDir Path dir) throws IOException {
    Path onnx = Files.writeString(dir.resolve("broken.onnx"), "not an onnx model");
    EmbeddingModel bundled = EmbeddingModel.bundled();
    assertThatThrownBy(() -> SentenceEmbedder.open(EmbeddingModel.onDisk(onnx, bundled.tokenizer())))
        .isInstanceOf(EmbeddingModelException.class).hasMessageContaining("cannot load embedding model");
  }
}
