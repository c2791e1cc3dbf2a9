package io.driftwatch.cli;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.producers.replay.ArchiveFormat;
import io.driftwatch.producers.replay.ArchiveReader;
import io.driftwatch.producers.replay.Replayer;
import io.driftwatch.producers.text.TokenSplitter;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftwatch score}: the offline twin of the monitor. Scores token events from files with the
 * same engine as the streaming topology, with no Kafka, and writes the same JSON records.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Score archives offline, with the same engine as the streaming monitor: the same input gives the same score "
          + "records, byte for byte. Reads every archive replay reads, plain or gzip, the format detected per file "
          + "(--format forces one): Driftwatch event JSON lines as they are; rows (JSON lines or one JSON array) and "
          + "captured OpenAI streams as replay turns them into events, with ids <run id>:<file>:<line>. Folders are "
          + "read recursively (--glob picks the files); '-' reads standard input.",
      "Every file is checked before the model loads: a file that cannot be read or yields no generation stops the "
          + "command with one line naming it. Score records go to standard output (or --output); a summary goes to "
          + "standard error.",
      ""
    })
final class ScoreCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Archives (.gz allowed), folders of them, or - for standard input.")
  List<String> files;

  @Mixin ArchiveOptions archive;

  @Mixin ArchiveModelOption archiveModel;

  @Option(names = "--run-id", paramLabel = "ID", defaultValue = "offline",
      description = "Run id of generations read from rows or captured streams (default: ${DEFAULT-VALUE}); event files keep theirs.")
  String runId;

  @Option(names = "--time", paramLabel = "INSTANT", defaultValue = "1970-01-01T00:00:00Z",
      description = "Event time of rows or streams whose archive has none, ISO-8601 (default: ${DEFAULT-VALUE}, so that "
          + "scoring a file twice gives the same records).")
  Instant time;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write score records here instead of standard output.")
  Path output;

  @Option(names = "--alerts", paramLabel = "FILE", description = "Write alert events here (default: count them only).")
  Path alerts;

  @Option(names = "--dead-letters", paramLabel = "FILE", description = "Write dead letters (rejected lines with the reason) here.")
  Path deadLetters;

  @Mixin ScoringOptions scoring;

  @Mixin SemanticOptions semantic;

  @Mixin BaselineOptions baseline;

  @Mixin AttributionOptions attribution;

  @Option(names = "--spans", paramLabel = "FILE", description = "Write attribution spans here (with --index).")
  Path spans;

  @Option(names = "--shed-as", paramLabel = "FILE",
      description = "Score records of a monitor run (one JSON object a line, plain or gzip, as kcat prints the scores topic): "
          + "the generations that run shed under load (flag semantic_shed) are scored without semantic scores here too, so "
          + "the two can be compared record for record. Without it, score sheds nothing.")
  Path shedAs;

  @Override
  public Integer call() throws IOException {
    // Every input and output is checked before the model loads: a typo must not cost its load.
    archive.check();
    List<ArchiveInputs.Archive> inputs = ArchiveInputs.resolve(files, archive.glob);
    OutputFiles.checkWritable("--output", output);
    OutputFiles.checkWritable("--alerts", alerts);
    OutputFiles.checkWritable("--dead-letters", deadLetters);
    OutputFiles.checkWritable("--spans", spans);
    List<ArchiveScan.Scanned> scanned = ArchiveScan.check(inputs, archive.forcedFormat(), archive.fields());
    ShedDecisions shedAsRun = shedAs == null ? null : ShedDecisions.read(shedAs);
    if (shedAsRun != null) {
      System.err.printf("--shed-as: %d of the %d generations in %s were shed; they are scored without semantic scores%n",
          shedAsRun.shed().size(), shedAsRun.generations(), shedAs);
    }
    ScoringSettings settings = scoring.settings();
    Counts counts = new Counts();
    HuggingFaceTokenSplitter hf = archive.tokenizer == null ? null : new HuggingFaceTokenSplitter(archive.tokenizer);
    // Read before the model loads and before the outputs are opened (which empties them): a wrong
    // --index or --baseline must neither cost the model's load nor the last run's output.
    var matcher = attribution.open(System.err);
    // One set of baselines for all the files: they are one stream of traffic, as the monitor would see it.
    Baselines baselines = Baselines.inMemory(baseline.settings());
    try (SentenceEmbedder embedder = semantic.open(System.err);
        OutputStream scoresOut = output == null ? nonClosing(System.out) : new BufferedOutputStream(Files.newOutputStream(output));
        OutputStream alertsOut = alerts == null ? OutputStream.nullOutputStream() : new BufferedOutputStream(Files.newOutputStream(alerts));
        OutputStream deadOut = deadLetters == null ? OutputStream.nullOutputStream() : new BufferedOutputStream(Files.newOutputStream(deadLetters));
        OutputStream spansOut = spans == null ? OutputStream.nullOutputStream() : new BufferedOutputStream(Files.newOutputStream(spans))) {
      for (ArchiveScan.Scanned input : scanned) {
        String file = input.archive().name();
        ScoringEngine engine = new ScoringEngine(settings, embedder != null, matcher);
        EmbeddingBatch batch = embedder == null ? null : new EmbeddingBatch(engine, embedder::embed, semantic.batch);
        InMemoryGenerationStore store = new InMemoryGenerationStore(baselines);
        if (shedAsRun != null) {
          store.shedding(shedAsRun::isShed);
        }
        OfflineScorer scorer = new OfflineScorer(engine, batch, store, file, new OfflineScorer.Sink() {
          @Override
          public void score(byte[] json) {
            counts.scores++;
            writeLine(scoresOut, json);
          }

          @Override
          public void alert(byte[] json) {
            counts.alerts++;
            writeLine(alertsOut, json);
          }

          @Override
          public void span(byte[] json) {
            counts.spans++;
            writeLine(spansOut, json);
          }

          @Override
          public void deadLetter(byte[] json) {
            String s = new String(json, StandardCharsets.UTF_8);
            int at = s.indexOf("\"reason\":\"") + 10;
            counts.deadLetters.merge(s.substring(at, s.indexOf('"', at)), 1L, Long::sum);
            writeLine(deadOut, json);
          }
        });
        if (input.format() == ArchiveFormat.EVENTS) {
          scoreEventFile(input.archive(), scorer, counts);
        } else {
          scoreArchive(input, scorer, counts, hf != null ? hf : TokenSplitter.SIMPLE);
        }
        scorer.finish();
        counts.events += scorer.events();
        counts.generations += scorer.generations();
        if (scorer.embeddingFailures() > 0) {
          System.err.printf("%s: the embedding model failed on %d batches; their sentences have no semantic scores "
              + "(flag semantic_unavailable). Last failure: %s%n", file, scorer.embeddingFailures(), scorer.lastEmbeddingFailure());
        }
      }
      scoresOut.flush();
    } finally {
      if (hf != null) {
        hf.close();
      }
    }
    System.err.printf("scored %d file(s), %,d lines: %,d events, %,d generations, %,d score records, %,d alert events, %,d spans, "
        + "%,d dead letters%s%s%n", scanned.size(), counts.lines, counts.events, counts.generations, counts.scores, counts.alerts, counts.spans,
        counts.deadLetters.values().stream().mapToLong(Long::longValue).sum(),
        counts.deadLetters.isEmpty() ? "" : " " + counts.deadLetters,
        counts.badRows == 0 ? "" : String.format(Locale.ROOT, "; %,d bad archive rows skipped", counts.badRows));
    return 0;
  }

  /**
   * Rows and captured streams become events exactly as replay makes them, then each is scored as a line
   * of an events file would be (its number counting events from 1, for dead letters).
   */
  private void scoreArchive(ArchiveScan.Scanned input, OfflineScorer scorer, Counts counts,
      TokenSplitter splitter) throws IOException {
    long[] events = new long[1];
    Replayer replayer = new Replayer(event -> {
      counts.lines++;
      scorer.accept(EventCodec.encode(event), ++events[0]);
    }, new Replayer.Settings(runId, 0, archiveModel.name), d -> {}, row -> {
      // Skipped rows are counted, and the first few named: they never reach the scorer.
      if (++counts.badRows <= 20) {
        System.err.println("skipped " + row);
      }
    }, time);
    ArchivePass.read(input, new ArchiveReader(archive.fields(), splitter), replayer, "scoring");
  }

  private static void scoreEventFile(ArchiveInputs.Archive archive, OfflineScorer scorer, Counts counts) throws IOException {
    scoreEvents(archive.name(), Files.newInputStream(archive.path()), Files.size(archive.path()), scorer, counts);
  }

  /** An events file as calibrate names it: a path, or '-' for standard input. */
  static void scoreFile(String file, OfflineScorer scorer, Counts counts) throws IOException {
    boolean stdin = file.equals("-");
    scoreEvents(stdin ? "stdin" : Path.of(file).getFileName().toString(), stdin ? System.in : Files.newInputStream(Path.of(file)),
        stdin ? 0 : Files.size(Path.of(file)), scorer, counts);
  }

  /** Scores Driftwatch events, one a line, plain or gzip, with a progress bar over the raw bytes. */
  private static void scoreEvents(String name, InputStream source, long size, OfflineScorer scorer, Counts counts) throws IOException {
    InputFiles.Counting raw = new InputFiles.Counting(source);
    try (InputStream in = InputFiles.maybeGunzip(new BufferedInputStream(raw, 1 << 16));
        ProgressBar progress = ProgressBar.onStderr("scoring " + name, size, "bytes")) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(512);
      long lineNumber = 0;
      int b;
      while ((b = in.read()) != -1) {
        if (b == '\n') {
          lineNumber++;
          accept(scorer, line, lineNumber, counts);
          progress.advanceTo(raw.count);
        } else {
          line.write(b);
        }
      }
      if (line.size() > 0) {
        accept(scorer, line, ++lineNumber, counts);
      }
      progress.advanceTo(raw.count);
    }
  }

  private static void accept(OfflineScorer scorer, ByteArrayOutputStream line, long lineNumber, Counts counts) {
    byte[] bytes = line.toByteArray();
    line.reset();
    if (isBlank(bytes)) {
      return;
    }
    counts.lines++;
    scorer.accept(bytes, lineNumber);
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static void writeLine(OutputStream out, byte[] json) {
    try {
      out.write(json);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new BufferedOutputStream(new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    }, 1 << 16);
  }

  /** Tallies for the closing summary. */
  static final class Counts {
    long spans;
    long lines;
    long badRows;
    long events;
    long generations;
    long scores;
    long alerts;
    final Map<String, Long> deadLetters = new TreeMap<>();
  }

  /** Counts the compressed bytes read, for progress against the file size. */
}
