package io.driftwatch.cli;

import io.driftwatch.embeddings.SentenceEmbedder;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
      "Score token events from files, offline, with the same engine as the streaming monitor: the same input "
          + "gives the same score records, byte for byte. Input is Driftwatch event JSON, one event per line "
          + "(as on the tokens topic), plain or gzip; '-' reads standard input.",
      "Score records go to standard output (or --output); a summary goes to standard error.",
      ""
    })
final class ScoreCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Event files (JSON lines, .gz allowed), or - for standard input.")
  List<String> files;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write score records here instead of standard output.")
  Path output;

  @Option(names = "--alerts", paramLabel = "FILE", description = "Write alert events here (default: count them only).")
  Path alerts;

  @Option(names = "--dead-letters", paramLabel = "FILE", description = "Write dead letters (rejected lines with the reason) here.")
  Path deadLetters;

  @picocli.CommandLine.Mixin ScoringOptions scoring;

  @picocli.CommandLine.Mixin SemanticOptions semantic;

  @picocli.CommandLine.Mixin BaselineOptions baseline;

  @picocli.CommandLine.Mixin AttributionOptions attribution;

  @Option(names = "--spans", paramLabel = "FILE", description = "Write attribution spans here (with --index).")
  Path spans;

  @Override
  public Integer call() throws IOException {
    ScoringSettings settings = scoring.settings();
    Counts counts = new Counts();
    try (SentenceEmbedder embedder = semantic.open(System.err);
        OutputStream scoresOut = output == null ? nonClosing(System.out) : new BufferedOutputStream(Files.newOutputStream(output));
        OutputStream alertsOut = alerts == null ? OutputStream.nullOutputStream() : new BufferedOutputStream(Files.newOutputStream(alerts));
        OutputStream deadOut = deadLetters == null ? OutputStream.nullOutputStream() : new BufferedOutputStream(Files.newOutputStream(deadLetters));
        OutputStream spansOut = spans == null ? OutputStream.nullOutputStream() : new BufferedOutputStream(Files.newOutputStream(spans))) {
      var matcher = attribution.open(System.err);
      // One set of baselines for all the files: they are one stream of traffic, as the monitor would see it.
      Baselines baselines = Baselines.inMemory(baseline.settings());
      for (String file : files) {
        ScoringEngine engine = new ScoringEngine(settings, embedder != null, matcher);
        EmbeddingBatch batch = embedder == null ? null : new EmbeddingBatch(engine, embedder::embed, semantic.batch);
        OfflineScorer scorer = new OfflineScorer(engine, batch, new InMemoryGenerationStore(baselines), file, new OfflineScorer.Sink() {
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
        scoreFile(file, scorer, counts);
        scorer.finish();
        counts.events += scorer.events();
        counts.generations += scorer.generations();
        if (scorer.embeddingFailures() > 0) {
          System.err.printf("%s: the embedding model failed on %d batches; their sentences have no semantic scores "
              + "(flag semantic_unavailable). Last failure: %s%n", file, scorer.embeddingFailures(), scorer.lastEmbeddingFailure());
        }
      }
      scoresOut.flush();
    }
    System.err.printf("scored %,d lines: %,d events, %,d generations, %,d score records, %,d alert events, %,d spans, %,d dead letters%s%n",
        counts.lines, counts.events, counts.generations, counts.scores, counts.alerts, counts.spans,
        counts.deadLetters.values().stream().mapToLong(Long::longValue).sum(),
        counts.deadLetters.isEmpty() ? "" : " " + counts.deadLetters);
    return 0;
  }

  static void scoreFile(String file, OfflineScorer scorer, Counts counts) throws IOException {
    long size = InputFiles.size(file);
    InputFiles.Counting raw = InputFiles.open(file);
    try (InputStream in = InputFiles.maybeGunzip(new BufferedInputStream(raw, 1 << 16));
        ProgressBar progress = ProgressBar.onStderr("scoring " + Path.of(file).getFileName(), size, "bytes")) {
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
    long events;
    long generations;
    long scores;
    long alerts;
    final Map<String, Long> deadLetters = new TreeMap<>();
  }

  /** Counts the compressed bytes read, for progress against the file size. */
}
