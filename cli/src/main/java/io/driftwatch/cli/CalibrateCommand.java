package io.driftwatch.cli;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.scoring.baseline.BaselineFile;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.baseline.ModelBaseline;
import io.driftwatch.scoring.baseline.ScoreSketch;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.nio.file.Files;
import io.driftwatch.producers.replay.ArchiveFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftwatch calibrate}: makes a baselines file from an archive of a model's normal generations.
 * The archive is scored offline with the monitor's engine, and every generation's summary is learned
 * exactly as the monitor learns one (the maximum of each alertable score), so a baseline made here
 * measures the same values the monitor computes.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Make per-model baselines from an archive of normal generations (event files as 'driftwatch score' reads them): "
          + "for every model in the archive, a t-digest of each alertable score's maximum per generation. Load the file "
          + "with 'driftwatch run --baseline FILE' (or 'driftwatch score --baseline FILE'); rules written in baseline "
          + "percentiles (score <name>_pct) then apply from the first generation. See docs/scores.md, Baselines.",
      ""
    })
final class CalibrateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Event files of normal traffic (JSON lines, .gz allowed), or -.")
  List<String> files;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the baselines (JSON).")
  Path output;

  @Option(names = "--model", paramLabel = "NAME", description = "Only this model's generations (default: every model in the archive).")
  String model;

  @Option(names = "--min-generations", paramLabel = "N", defaultValue = "100",
      description = "A model with fewer generations gets no baseline: its tails would rest on too few values (default: ${DEFAULT-VALUE}).")
  int minGenerations;

  @picocli.CommandLine.Mixin ScoringOptions scoring;

  @picocli.CommandLine.Mixin SemanticOptions semantic;

  @Override
  public Integer call() throws IOException {
    checkInputsAndOutput();
    Map<String, ModelBaseline> learned = new TreeMap<>();
    ScoreCommand.Counts counts = new ScoreCommand.Counts();
    // A warm-up no archive reaches: the scoring itself measures nothing against a baseline while calibrating.
    Baselines none = Baselines.inMemory(new BaselineSettings(Integer.MAX_VALUE, null, Map.of()));
    try (SentenceEmbedder embedder = semantic.open(System.err)) {
      for (String file : files) {
        ScoringEngine engine = new ScoringEngine(scoring.settings(), embedder != null);
        EmbeddingBatch batch = embedder == null ? null : new EmbeddingBatch(engine, embedder::embed, semantic.batch);
        OfflineScorer scorer = new OfflineScorer(engine, batch, new InMemoryGenerationStore(none), file, new LearningSink(learned));
        ScoreCommand.scoreFile(file, scorer, counts);
        scorer.finish();
      }
    }
    Map<String, ModelBaseline> kept = new TreeMap<>();
    learned.forEach((name, baseline) -> {
      if (baseline.generations() >= minGenerations) {
        kept.put(name, baseline);
      } else {
        System.err.printf("model %s: %d generations, fewer than --min-generations %d; no baseline%n", name, baseline.generations(),
            minGenerations);
      }
    });
    if (kept.isEmpty()) {
      throw new UserFacingException("no model has " + minGenerations + " generations in the archive"
          + (model == null ? "" : " (with --model " + model + ")") + "; nothing written");
    }
    BaselineFile.write(output, kept);
    kept.forEach((name, baseline) -> {
      StringBuilder line = new StringBuilder(String.format("model %s: %d generations;", name, baseline.generations()));
      for (Map.Entry<String, ScoreSketch> e : baseline.sketches().entrySet()) {
        line.append(String.format(" %s p99.5 %.3f", e.getKey(), e.getValue().quantile(99.5)));
      }
      System.err.println(line);
    });
    System.err.printf("wrote baselines of %d model(s) to %s%n", kept.size(), output);
    return 0;
  }

  /**
   * Every file is checked before the model loads, and --output before the archive is scored: a typo must
   * cost neither. Calibrate reads event files; an archive of rows or captured streams is named as such.
   */
  private void checkInputsAndOutput() throws IOException {
    OutputFiles.checkWritable("--output", output);
    if (files.stream().filter("-"::equals).count() > 1) {
      throw new UserFacingException("standard input ('-') can be read once per command");
    }
    for (String file : files) {
      if (file.equals("-")) {
        continue;
      }
      Path path = Path.of(file);
      if (Files.isDirectory(path)) {
        throw new UserFacingException(file + ": is a folder; give the event files in it");
      }
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new UserFacingException(file + ": no such file, or not readable");
      }
      ArchiveFormat format;
      try (var in = ArchiveScan.open(new ArchiveInputs.Archive(path, file, path.getFileName().toString()))) {
        format = Files.size(path) == 0 ? ArchiveFormat.EVENTS : ArchiveScan.detect(in);
      }
      if (format != ArchiveFormat.EVENTS) {
        throw new UserFacingException(file + ": not Driftwatch events (it reads as " + ArchiveOptions.optionName(format)
            + "); calibrate reads event files: turn an archive into one with 'driftwatch replay " + file + " -o events.jsonl'");
      }
    }
  }

  /** Learns each summary record, as the monitor learns a closed generation. */
  private final class LearningSink implements OfflineScorer.Sink {
    private final Map<String, ModelBaseline> learned;

    LearningSink(Map<String, ModelBaseline> learned) {
      this.learned = learned;
    }

    @Override
    public void score(byte[] json) {
      ScoreRecord record;
      try {
        record = EventCodec.fromJson(json, ScoreRecord.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (ScoreRecord.SUMMARY.equals(record.kind()) && record.model() != null && (model == null || model.equals(record.model()))) {
        learned.computeIfAbsent(record.model(), m -> new ModelBaseline()).learn(record.scores());
      }
    }

    @Override
    public void alert(byte[] json) {}

    @Override
    public void deadLetter(byte[] json) {}
  }
}
