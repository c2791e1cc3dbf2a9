package io.driftwatch.cli;

import io.driftwatch.benchmarks.pipeline.BenchFamily;
import io.driftwatch.benchmarks.pipeline.PipelineBenchmark;
import io.driftwatch.benchmarks.pipeline.PipelinePlan;
import io.driftwatch.benchmarks.pipeline.SemanticModel;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code driftwatch bench pipeline}: reads the options, opens what they name, and runs the benchmarks
 * module's {@link PipelineBenchmark}.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Throughput, latency and state size of the whole pipeline on a real broker, as ratios to baselines measured in "
          + "the same run: a plain Kafka consumer that only deserializes, and a pass-through Kafka Streams topology.",
      "Phases: the workload is produced to a topic first, then each variant reads it from the start (catch-up "
          + "throughput): the two baselines, then Driftwatch with each chosen score family (--families) alone and all "
          + "together; then the monitor runs under a fixed offered load for the latency percentiles; then state "
          + "size and heap per open generation.",
      ""})
final class PipelineBench implements Callable<Integer> {

  @Option(names = "--generations", paramLabel = "N", defaultValue = "200", description = "Generations (default: ${DEFAULT-VALUE}).")
  int generations;

  @Option(names = "--tokens", paramLabel = "N", defaultValue = "480", description = "Tokens per generation (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--semantic-generations", paramLabel = "N", defaultValue = "40",
      description = "Generations of the semantic run, which is bounded by the model (default: ${DEFAULT-VALUE}).")
  int semanticGenerations;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "3", description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--latency-rate", paramLabel = "TOKENS/S", defaultValue = "10000",
      description = "Offered load of the latency phase (default: ${DEFAULT-VALUE}).")
  int latencyRate;

  @Option(names = "--latency-duration", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "20s",
      description = "Length of each run of the latency phase (default: ${DEFAULT-VALUE}).")
  Duration latencyDuration;

  @Option(names = "--latency-runs", paramLabel = "N", defaultValue = "1",
      description = "Runs of the latency phase, each on fresh topics; every run's percentiles are printed, and in how "
          + "many of them p99 met its target (default: ${DEFAULT-VALUE}).")
  int latencyRuns;

  @Option(names = "--open-generations", paramLabel = "N", defaultValue = "10000",
      description = "Open generations for the state and heap measurement (default: ${DEFAULT-VALUE}).")
  int openGenerations;

  @Option(names = "--families", paramLabel = "LIST",
      description = "Score families to run, each alone or together, comma-separated, out of: lexical, attribution, "
          + "lexical+attribution, lexical+attribution+view (with the web view's stores), semantic, all (default: every one; "
          + "without the semantic ones under --no-semantic).")
  String families;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
      description = "Throughput rounds; each runs every variant once, and medians are printed (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--warmup-rounds", paramLabel = "N", defaultValue = "1",
      description = "Untimed rounds of every variant before the timed ones: the JIT compiles the broker, Kafka Streams "
          + "and the scorers for about a minute, taking up to a core, and the timed rounds should measure a monitor "
          + "that has run for a while (default: ${DEFAULT-VALUE}).")
  int warmupRounds;

  @Option(names = "--chunk-tokens", paramLabel = "N", defaultValue = "0",
      description = "Also produce the workload as chunk events of N tokens each, as the SDK and the tap coalesce tokens "
          + "(--chunk-linger), and measure the baselines and every family on it beside the per-token input, with the "
          + "ratio of the two; the semantic families read their own workload chunked the same way "
          + "(default: ${DEFAULT-VALUE}, per-token input only).")
  int chunkTokens;

  @Option(names = "--throughput-only", description = "Skip the latency and state-size phases.")
  boolean throughputOnly;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka Streams and client properties for every Kafka Streams instance the benchmark starts, the "
          + "pass-through baseline included, e.g. commit.interval.ms (a .properties file).")
  Path kafkaConfig;

  @Option(names = "--overload", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "0s",
      description = "Also offer 3 times the semantic throughput measured in this run for this long, load shedding on, and "
          + "report the cheap-path alert latency, lag, shed rate and what is left 30 s after (needs the semantic family; "
          + "default: ${DEFAULT-VALUE}, none).")
  Duration overload;

  @Option(names = "--overload-without-shedding", description = "Run the --overload phase with load shedding off, to compare.")
  boolean overloadWithoutShedding;

  @Mixin MonitorSemanticOptions semantic;

  /** --index: attribution against a built index; without it, against the demo's reference book. */
  @Mixin AttributionOptions attribution;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    PipelinePlan plan;
    try {
      List<BenchFamily> chosen = BenchFamily.parse(families, semantic.enabled());
      plan = new PipelinePlan(generations, tokens, semanticGenerations, partitions, latencyRate, latencyDuration,
          latencyRuns, openGenerations, chosen, rounds, warmupRounds, chunkTokens, throughputOnly, Optional.ofNullable(attribution.index),
          kafkaConfig == null ? Map.of() : KafkaConfigFile.read(kafkaConfig), overload, !overloadWithoutShedding);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage());
    }
    new PipelineBenchmark(plan, model(), index -> attribution.open(index, out), this::progress, out).run();
    return 0;
  }

  private PipelineBenchmark.Progress progress(long runs) {
    ProgressBar bar = ProgressBar.onStderr("bench pipeline", runs, "runs");
    return new PipelineBenchmark.Progress() {
      @Override
      public void advanceTo(long runsDone) {
        bar.advanceTo(runsDone);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  /** The model as --model, --embedding-batch and the other semantic options say. */
  private SemanticModel model() {
    return new SemanticModel() {
      @Override
      public SentenceEmbedder openBesideKafka(PrintStream out) {
        return semantic.openBesideKafka(out);
      }

      @Override
      public SentenceEmbedder openEveryCore(PrintStream out) {
        return semantic.openEveryCore(out);
      }

      @Override
      public SentenceEmbedder openPassPerCore(PrintStream out) {
        return semantic.openPassPerCore(out);
      }

      @Override
      public SemanticScoring scoring(SentenceEmbedder embedder) {
        // Never shed: the throughput phases measure how fast every sentence is embedded, and a run that
        // shed some would look faster than the model is.
        SemanticScoring scoring = semantic.scoring(embedder);
        return scoring == null ? null : scoring.withShedding(null);
      }

      @Override
      public int batch() {
        return semantic.batch();
      }
    };
  }
}
