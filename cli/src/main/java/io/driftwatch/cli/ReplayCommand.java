package io.driftwatch.cli;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.replay.ArchiveReader;
import io.driftwatch.producers.replay.BadRow;
import io.driftwatch.producers.replay.Replayer;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.producers.text.TokenSplitter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftwatch replay}: publishes archived generations to the tokens topic, for the monitor to
 * score as if they were streaming now, or writes them as token events to a file.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Publish archived generations to Kafka as token events, for the monitor to score; or, with --output, write "
          + "the events to a file (any archive converted to Driftwatch events).",
      "Reads, plain or gzip: Driftwatch event JSON lines; rows with a prompt and a generated text as JSON lines or "
          + "one JSON array (fields prompt/input/question, completion/text/generation/output/response, model, "
          + "timestamp/created_at by default); captured OpenAI-compatible streaming responses (data: lines of "
          + "chat.completion.chunk or text completion chunks, with logprobs when present). The format is detected "
          + "per file. Folders are read recursively (--glob picks the files). Text without token boundaries is split "
          + "by a word/punctuation splitter, or by --tokenizer.",
      "Every generation gets the id <run id>:<file>:<line> (rows, streams) or <run id>:<its id> (event files), so "
          + "replays of a file compare row by row. Without --run-id each replay gets a new run id; a --run-id already "
          + "on the tokens topic in the last 24 hours is refused (the monitor would reject its ids as closed).",
      "Every file is read once first: a file that cannot be read or yields no generation stops the replay before "
          + "anything is published. Bad rows are reported with file and line and skipped; a summary is printed at the "
          + "end, and the exit status is 1 if Kafka refused any event.",
      ""
    })
final class ReplayCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Archives (.gz allowed), folders of them, or - for standard input.")
  List<String> files;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id of every replayed generation (default: a new replay-<UTC time>).")
  String runId;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the token events here as JSON lines (gzip when it ends in .gz; - for standard output) "
          + "instead of publishing them; no Kafka is needed.")
  String output;

  @Option(names = "--time", paramLabel = "INSTANT",
      description = "Event time of generations whose archive has none, ISO-8601 (default: the replay's start).")
  Instant time;

  @Mixin ArchiveOptions archive;

  @Mixin ArchiveModelOption archiveModel;

  @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "0",
      description = "0: as fast as possible (default); else replay with the archive's timing, this many times faster.")
  double speed;

  private final PrintStream err = System.err;

  @Override
  public Integer call() throws Exception {
    if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
      throw new UserFacingException("--speed must be 0 (as fast as possible) or a positive factor, got " + speed);
    }
    archive.check();
    OutputFiles.checkWritable("--output", output == null ? null : Path.of(output));
    List<ArchiveInputs.Archive> inputs = ArchiveInputs.resolve(files, archive.glob);
    List<ArchiveScan.Scanned> scanned = ArchiveScan.check(inputs, archive.forcedFormat(), archive.fields());
    Topics topics = Topics.withPrefix(topicPrefix);
    Instant started = Instant.now();
    String run = runId != null ? runId
        : "replay-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC).format(started);
    if (output == null) {
      // A wrong address fails in seconds, in one line, before anything is sent.
      var kafkaProblem = KafkaCheck.problem(bootstrap, java.util.Map.of(), KafkaCheck.TIMEOUT);
      if (kafkaProblem.isPresent()) {
        throw new UserFacingException(kafkaProblem.get() + "; start a broker (driftwatch broker), or write the events to a file with --output");
      }
    }
    if (output == null && runId != null && RunIdCheck.used(bootstrap, topics.tokens(), runId, started)) {
      throw new UserFacingException("run id '" + runId + "' is on " + topics.tokens() + " already (replayed in the last 24 hours); "
          + "the monitor would reject its generations as closed. Choose another --run-id, or leave it out for a new one");
    }
    long startNanos = System.nanoTime();
    long[] badCount = new long[1];
    HuggingFaceTokenSplitter hf = archive.tokenizer == null ? null : new HuggingFaceTokenSplitter(archive.tokenizer);
    TokenSplitter splitter = hf != null ? hf : TokenSplitter.SIMPLE;
    Replayer replayer;
    AtomicLong refused = new AtomicLong();
    AtomicReference<Exception> lastRefusal = new AtomicReference<>();
    String destination;
    try (EventOut out = output != null ? EventOut.toFile(output) : EventOut.toKafka(bootstrap, topics.tokens(), refused, lastRefusal)) {
      destination = output != null ? (output.equals("-") ? "standard output" : output) : topics.tokens();
      replayer = new Replayer(out, new Replayer.Settings(run, speed, archiveModel.name),
          d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000), row -> report(row, badCount), time != null ? time : started);
      ArchiveReader reader = new ArchiveReader(archive.fields(), splitter);
      for (ArchiveScan.Scanned s : scanned) {
        ArchivePass.read(s, reader, replayer, "replaying");
      }
    } finally {
      if (hf != null) {
        hf.close();
      }
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    err.printf(Locale.ROOT, "replayed %d file(s) as run %s (generation ids %s:...): %,d generations, %,d events to %s in %.1f s "
        + "(%,.0f events/s); %,d bad rows skipped%n", scanned.size(), run, run, replayer.generations(), replayer.events(), destination,
        seconds, replayer.events() / Math.max(seconds, 1e-9), replayer.badRows());
    if (refused.get() > 0) {
      err.printf("Kafka refused %,d events; the last error: %s%n", refused.get(), lastRefusal.get());
      return 1;
    }
    return 0;
  }

  private void report(BadRow row, long[] count) {
    // The first hundred in full; after that a count, so a broken file does not flood the terminal.
    if (++count[0] <= 100) {
      err.println("skipped " + row);
    } else if (count[0] == 101) {
      err.println("(more bad rows: only their count is reported)");
    }
  }

  /** Where replayed events go: the tokens topic, or a file of JSON lines. */
  private interface EventOut extends Consumer<GenerationEvent>, AutoCloseable {
    @Override
    void close() throws IOException;

    static EventOut toKafka(String bootstrap, String topic, AtomicLong refused, AtomicReference<Exception> lastRefusal) {
      DriftwatchProducer producer = DriftwatchProducer.connect(bootstrap, topic);
      return new EventOut() {
        @Override
        public void accept(GenerationEvent event) {
          producer.send(event, error -> {
            if (error != null) {
              refused.incrementAndGet();
              lastRefusal.set(error);
            }
          });
        }

        @Override
        public void close() {
          producer.flush();
          producer.close();
        }
      };
    }

    static EventOut toFile(String file) throws IOException {
      OutputStream raw = file.equals("-") ? new java.io.FilterOutputStream(System.out) {
        @Override
        public void close() throws IOException {
          flush(); // standard output stays open
        }
      } : Files.newOutputStream(Path.of(file));
      OutputStream out = new BufferedOutputStream(file.endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw, 1 << 16);
      return new EventOut() {
        @Override
        public void accept(GenerationEvent event) {
          try {
            out.write(EventCodec.encode(event));
            out.write('\n');
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }
  }
}
