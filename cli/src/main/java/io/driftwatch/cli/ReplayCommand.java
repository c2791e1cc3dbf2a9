package io.driftwatch.cli;

import io.driftwatch.contract.Topics;
import io.driftwatch.producers.replay.ArchiveFormat;
import io.driftwatch.producers.replay.ArchiveReader;
import io.driftwatch.producers.replay.BadRow;
import io.driftwatch.producers.replay.Replayer;
import io.driftwatch.producers.replay.RowFields;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.producers.text.TokenSplitter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftwatch replay}: publishes archived generations to the tokens topic, for the monitor to
 * score as if they were streaming now.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Publish archived generations to Kafka as token events, for the monitor to score.",
      "Reads, plain or gzip: Driftwatch event JSON lines; rows with a prompt and a generated text as JSON lines or "
          + "one JSON array (fields prompt/input/question, completion/text/generation/output/response, model, "
          + "timestamp/created_at by default); captured OpenAI-compatible streaming responses (data: lines of "
          + "chat.completion.chunk or text completion chunks, with logprobs when present). The format is detected "
          + "per file. Text without token boundaries is split by a word/punctuation splitter, or by --tokenizer.",
      "Rows and captured streams get generation ids <run id>:<file>:<line>, so replays of a file compare row by row; "
          + "Driftwatch event files keep their own ids (the monitor rejects ids it closed within the last hour, so "
          + "replay those once, or after that). Bad rows are reported with file and line and skipped; a summary is "
          + "printed at the end, and the exit status is 1 if Kafka refused any event.",
      ""
    })
final class ReplayCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Archives (.gz allowed), or - for standard input.")
  List<String> files;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id of every replayed generation (default: replay-<UTC time>).")
  String runId;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "auto, events, rows, json-array or openai-sse (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--prompt-field", paramLabel = "NAME", description = "Row field holding the prompt.")
  String promptField;

  @Option(names = "--text-field", paramLabel = "NAME", description = "Row field holding the generated text.")
  String textField;

  @Option(names = "--model-field", paramLabel = "NAME", description = "Row field holding the model name.")
  String modelField;

  @Option(names = "--time-field", paramLabel = "NAME", description = "Row field holding when it was generated (epoch or ISO-8601).")
  String timeField;

  @Option(names = "--model", paramLabel = "NAME", defaultValue = "unknown",
      description = "Model of generations whose archive does not name one (default: ${DEFAULT-VALUE}).")
  String defaultModel;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "A HuggingFace tokenizer.json to split text as that model would.")
  Path tokenizer;

  @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "0",
      description = "0: as fast as possible (default); else replay with the archive's timing, this many times faster.")
  double speed;

  private final PrintStream err = System.err;

  @Override
  public Integer call() throws Exception {
    String run = runId != null ? runId
        : "replay-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    Topics topics = Topics.withPrefix(topicPrefix);
    long started = System.nanoTime();
    long[] badByFile = new long[1];
    HuggingFaceTokenSplitter hf = tokenizer == null ? null : new HuggingFaceTokenSplitter(tokenizer);
    TokenSplitter splitter = hf != null ? hf : TokenSplitter.SIMPLE;
    Replayer replayer;
    java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Exception> lastRefusal = new java.util.concurrent.atomic.AtomicReference<>();
    List<String> names = sourceNames(files);
    try (DriftwatchProducer producer = DriftwatchProducer.connect(bootstrap, topics.tokens())) {
      replayer = new Replayer(event -> producer.send(event, error -> {
        if (error != null) {
          refused.incrementAndGet();
          lastRefusal.set(error);
        }
      }), new Replayer.Settings(run, speed, defaultModel), d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000),
          row -> report(row, badByFile), Instant.now());
      ArchiveReader reader = new ArchiveReader(fields(), splitter);
      for (int i = 0; i < files.size(); i++) {
        replayFile(files.get(i), names.get(i), reader, replayer);
      }
      producer.flush();
    } finally {
      if (hf != null) {
        hf.close();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "replayed %d file(s) as run %s: %,d generations, %,d events to %s in %.1f s (%,.0f events/s); %,d bad rows skipped%n",
        files.size(), run, replayer.generations(), replayer.events(), topics.tokens(), seconds, replayer.events() / Math.max(seconds, 1e-9),
        replayer.badRows());
    if (refused.get() > 0) {
      err.printf("Kafka refused %,d events; the last error: %s%n", refused.get(), lastRefusal.get());
      return 1;
    }
    return 0;
  }

  /**
   * How each file is named in sources and generation ids: its file name, or the path as given when two
   * files share a name, so that no two rows get one id.
   */
  static List<String> sourceNames(List<String> files) {
    if (files.stream().filter("-"::equals).count() > 1) {
      throw new UserFacingException("standard input ('-') can be replayed once per command");
    }
    java.util.Map<String, Long> byName = files.stream()
        .collect(java.util.stream.Collectors.groupingBy(ReplayCommand::fileName, java.util.stream.Collectors.counting()));
    return files.stream().map(f -> byName.get(fileName(f)) > 1 ? f : fileName(f)).toList();
  }

  private static String fileName(String file) {
    return file.equals("-") ? "stdin" : Path.of(file).getFileName().toString();
  }

  private void replayFile(String file, String name, ArchiveReader reader, Replayer replayer) throws IOException {
    InputFiles.Counting raw = InputFiles.open(file);
    try (BufferedInputStream buffered = new BufferedInputStream(InputFiles.maybeGunzip(new BufferedInputStream(raw, 1 << 16)), 1 << 16);
        ProgressBar progress = ProgressBar.onStderr("replaying " + name, InputFiles.size(file), "bytes");
        Ticker ticker = new Ticker(progress, raw)) {
      buffered.mark(4096);
      byte[] head = buffered.readNBytes(4096);
      buffered.reset();
      reader.read(name, buffered, format(head), replayer);
    }
  }

  private ArchiveFormat format(byte[] head) {
    return switch (format) {
      case "auto" -> ArchiveFormat.detect(head);
      case "events" -> ArchiveFormat.EVENTS;
      case "rows" -> ArchiveFormat.ROWS_JSONL;
      case "json-array" -> ArchiveFormat.ROWS_JSON_ARRAY;
      case "openai-sse" -> ArchiveFormat.OPENAI_SSE;
      default -> throw new UserFacingException("--format must be auto, events, rows, json-array or openai-sse, not " + format);
    };
  }

  private RowFields fields() {
    RowFields f = RowFields.DEFAULTS;
    if (promptField != null) {
      f = f.withPrompt(promptField);
    }
    if (textField != null) {
      f = f.withText(textField);
    }
    if (modelField != null) {
      f = f.withModel(modelField);
    }
    if (timeField != null) {
      f = f.withTime(timeField);
    }
    return f;
  }

  private void report(BadRow row, long[] count) {
    // The first hundred in full; after that a count, so a broken file does not flood the terminal.
    if (++count[0] <= 100) {
      err.println("skipped " + row);
    } else if (count[0] == 101) {
      err.println("(more bad rows: only their count is reported)");
    }
  }

  /** Moves the progress bar from a background thread, since the reader owns the loop. */
  private static final class Ticker implements AutoCloseable {
    private final Thread thread;

    Ticker(ProgressBar progress, InputFiles.Counting raw) {
      thread = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          progress.advanceTo(raw.count);
          try {
            Thread.sleep(250);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "replay-progress");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
