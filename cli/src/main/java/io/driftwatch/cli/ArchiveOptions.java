package io.driftwatch.cli;

import io.driftwatch.producers.replay.ArchiveFormat;
import io.driftwatch.producers.replay.RowFields;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How archives are read, shared by {@code replay} and {@code score} (a picocli mixin), so that both read
 * every archive the same way: format, field names, tokenizer, and which files of a folder. The model of
 * unnamed generations is {@link ArchiveModelOption}, apart because {@code probe radius} gives its
 * {@code --model} another meaning.
 */
final class ArchiveOptions {

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "auto (detected per file), events, rows, json-array or openai-sse (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--glob", paramLabel = "PATTERN", defaultValue = "*",
      description = "Which files of a folder to read, searched recursively; matched against the file name, "
          + "e.g. '*.jsonl.gz' (default: ${DEFAULT-VALUE}; hidden files are skipped).")
  String glob;

  @Option(names = "--prompt-field", paramLabel = "NAME", description = "Row field holding the prompt.")
  String promptField;

  @Option(names = "--text-field", paramLabel = "NAME", description = "Row field holding the generated text.")
  String textField;

  @Option(names = "--model-field", paramLabel = "NAME", description = "Row field holding the model name.")
  String modelField;

  @Option(names = "--time-field", paramLabel = "NAME", description = "Row field holding when it was generated (epoch or ISO-8601).")
  String timeField;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "A HuggingFace tokenizer.json to split text as that model would.")
  Path tokenizer;

  /** The format the user forced, or null for detection per file. */
  ArchiveFormat forcedFormat() {
    return switch (format) {
      case "auto" -> null;
      case "events" -> ArchiveFormat.EVENTS;
      case "rows" -> ArchiveFormat.ROWS_JSONL;
      case "json-array" -> ArchiveFormat.ROWS_JSON_ARRAY;
      case "openai-sse" -> ArchiveFormat.OPENAI_SSE;
      default -> throw new UserFacingException("--format must be auto, events, rows, json-array or openai-sse, not '" + format + "'");
    };
  }

  /** The name --format uses for a format, for messages that suggest it. */
  static String optionName(ArchiveFormat format) {
    return switch (format) {
      case EVENTS -> "events";
      case ROWS_JSONL -> "rows";
      case ROWS_JSON_ARRAY -> "json-array";
      case OPENAI_SSE -> "openai-sse";
    };
  }

  RowFields fields() {
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

  /** Checks the options that name files, so a typo fails before anything is read or loaded. */
  void check() {
    forcedFormat();
    if (tokenizer != null && !java.nio.file.Files.isRegularFile(tokenizer)) {
      throw new UserFacingException(tokenizer + ": no such tokenizer file; --tokenizer takes a HuggingFace tokenizer.json");
    }
  }
}
