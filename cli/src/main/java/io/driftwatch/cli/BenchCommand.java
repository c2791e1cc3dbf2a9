package io.driftwatch.cli;

import io.driftwatch.benchmarks.pipeline.BenchWorkload;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code driftwatch bench}: benchmarks that print their figures beside baselines measured in the same
 * run, so that results compare across machines as ratios. Results are recorded in docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Semantic.class, PipelineBench.class, ScaleBench.class, AlertBench.class, GuardBench.class},
    description = {"Benchmarks, each printed beside a baseline measured in the same run (docs/benchmarks.md).", ""})
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Semantic scoring throughput against the raw throughput of the embedding model. */
  @Command(name = "semantic", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
        "Semantic scoring throughput against the embedding model's raw throughput on the same sentences.",
        "Labelled demo generations are cut into sentences; the baseline embeds those sentences straight through "
            + "the model in batches (no Kafka, no scoring), once one by one per forward pass and once padded into "
            + "batches; Driftwatch scores the same generations' events offline with semantic scores (JSON decoding, "
            + "segmentation, every score, batching across generations). Rounds alternate; medians are printed.",
        ""})
  static final class Semantic implements Callable<Integer> {

    @Option(names = "--generations", paramLabel = "N", defaultValue = "40", description = "Generations (default: ${DEFAULT-VALUE}).")
    int generations;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "480", description = "Tokens per generation (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "10", description = "Seed of the workload (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin SemanticOptions semantic;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
      if (!semantic.enabled()) {
        throw new UserFacingException("bench semantic measures the semantic scores; leave out --no-semantic");
      }
      List<byte[]> events = workload();
      long tokenCount = (long) generations * tokens;
      try (SentenceEmbedder embedder = semantic.open(out)) {
        out.printf(Locale.ROOT, "Workload: %d generations x %d tokens (%,d events, interleaved), batches of up to %d sentences%n",
            generations, tokens, events.size(), semantic.batch);
        out.printf(Locale.ROOT, "Model runs %s%n", embedder.batchCoupled()
            ? "one sentence per forward pass (its dynamic quantisation couples the rows of a batch)"
            : "padded batches of similar length");

        List<String> texts = new ArrayList<>();
        SentenceEncoder recording = batch -> {
          texts.addAll(batch);
          return embedder.embed(batch);
        };
        scoreOffline(events, recording, false); // warm-up, and the exact texts Driftwatch embeds
        double tokensPerText = (double) tokenCount / texts.size();
        out.printf(Locale.ROOT, "Texts embedded: %,d (prompts and sentences; %.1f tokens of generated text per text)%n%n",
            texts.size(), tokensPerText);
        BenchWorkload.embedInBatches(embedder, texts.subList(0, Math.min(texts.size(), 256)), semantic.batch, false);
        BenchWorkload.embedInBatches(embedder, texts.subList(0, Math.min(texts.size(), 256)), semantic.batch, true);

        double[][] seconds = new double[6][rounds];
        try (ProgressBar bar = ProgressBar.onStderr("bench semantic", rounds * 6L, "runs")) {
          for (int r = 0; r < rounds; r++) {
            seconds[0][r] = time(() -> BenchWorkload.embedInBatches(embedder, texts, semantic.batch, false));
            bar.advanceTo(6L * r + 1);
            seconds[1][r] = time(() -> BenchWorkload.embedInBatches(embedder, texts, semantic.batch, true));
            bar.advanceTo(6L * r + 2);
            seconds[2][r] = time(() -> scoreOffline(events, embedder::embed, false));
            bar.advanceTo(6L * r + 3);
            seconds[3][r] = time(() -> scoreOffline(events, null, false));
            bar.advanceTo(6L * r + 4);
            seconds[4][r] = time(() -> scoreOffline(events, embedder::embed, true));
            bar.advanceTo(6L * r + 5);
            seconds[5][r] = time(() -> scoreOffline(events, null, true));
            bar.advanceTo(6L * r + 6);
          }
        }
        double rawSingle = texts.size() / median(seconds[0]);
        double rawPadded = texts.size() / median(seconds[1]);
        double raw = Math.max(rawSingle, rawPadded);
        double driftwatch = texts.size() / median(seconds[2]);
        double lexical = tokenCount / median(seconds[3]);
        double driftwatchLive = texts.size() / median(seconds[4]);
        double lexicalLive = tokenCount / median(seconds[5]);
        out.printf(Locale.ROOT, "%-66s %12s %10s%n", "", "sentences/s", "tokens/s");
        row("raw model, one sentence per forward pass", rawSingle, rawSingle * tokensPerText);
        row("raw model, padded batches", rawPadded, rawPadded * tokensPerText);
        row("Driftwatch, all scores with semantic", driftwatch, driftwatch * tokensPerText);
        out.printf(Locale.ROOT, "%-66s %12s %,10.0f%n", "Driftwatch, without semantic scores", "-", lexical);
        out.println("  diagnostic: the same without the state round trip (objects kept live instead of serialised per event):");
        row("Driftwatch, all scores with semantic, live state", driftwatchLive, driftwatchLive * tokensPerText);
        out.printf(Locale.ROOT, "%-66s %12s %,10.0f%n", "Driftwatch, without semantic scores, live state", "-", lexicalLive);
        out.println();
        out.printf(Locale.ROOT, "Semantic scoring / best raw model throughput: %.2f (goal >= 0.80); with live state: %.2f%n",
            driftwatch / raw, driftwatchLive / raw);
        return 0;
      }
    }

    private void row(String name, double sentencesPerSecond, double tokensPerSecond) {
      out.printf(Locale.ROOT, "%-66s %,12.1f %,10.0f%n", name, sentencesPerSecond, tokensPerSecond);
    }

    private List<byte[]> workload() {
      return BenchWorkload.events(generations, tokens, seed, Instant.parse("2026-01-01T00:00:00Z"), "bench-").stream()
          .map(EventCodec::encode).toList();
    }

    /**
     * Scores the events as {@code driftwatch score} does; semantic when an encoder is given. With
     * {@code liveState}, states stay objects instead of going through the store's round trip (encode, decode).
     */
    private void scoreOffline(List<byte[]> events, SentenceEncoder encoder, boolean liveState) {
      ScoringEngine engine = new ScoringEngine(io.driftwatch.scoring.engine.ScoringSettings.DEFAULTS, encoder != null);
      EmbeddingBatch batch = encoder == null ? null : new EmbeddingBatch(engine, encoder, semantic.batch);
      long[] records = new long[1];
      OfflineScorer scorer = new OfflineScorer(engine, batch,
          liveState ? InMemoryGenerationStore.live() : new InMemoryGenerationStore(), "bench", new OfflineScorer.Sink() {
        @Override
        public void score(byte[] json) {
          records[0]++;
        }

        @Override
        public void alert(byte[] json) {}

        @Override
        public void deadLetter(byte[] json) {
          throw new IllegalStateException("the benchmark workload produced a dead letter: " + new String(json));
        }
      });
      long line = 0;
      for (byte[] event : events) {
        scorer.accept(event, ++line);
      }
      scorer.finish();
      if (scorer.generations() != generations) {
        throw new IllegalStateException("expected " + generations + " summaries, got " + scorer.generations());
      }
    }

    private static double time(Runnable work) {
      long start = System.nanoTime();
      work.run();
      return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
  }
}
