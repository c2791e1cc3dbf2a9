package io.driftwatch.cli;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.AttributionSummary;
import io.driftwatch.attribution.BuildSummary;
import io.driftwatch.attribution.DocumentInfo;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchListener;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.MatchState;
import io.driftwatch.attribution.Occurrence;
import io.driftwatch.attribution.Span;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.attribution.WordTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code driftwatch index}: build and inspect the reference-corpus index of attribution (docs/attribution.md). */
@Command(name = "index", mixinStandardHelpOptions = true,
    subcommands = {IndexCommand.Build.class, IndexCommand.Info.class, IndexCommand.Query.class},
    description = {"Build and inspect the reference-corpus index that attribution matches generations against.", ""})
final class IndexCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static AttributionIndex open(Path index) {
    try {
      return AttributionIndex.open(index);
    } catch (IOException | RuntimeException e) {
      throw new UserFacingException("cannot open the index " + index + ": " + e.getMessage()
          + " (build one with: driftwatch index build CORPUS... -o " + index + ")");
    }
  }

  @Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Index plain-text files, folders of them (*.txt, recursively) and JSON Lines files (*.jsonl, "
          + "one document per line, text in --text-field). Words are normalised as docs/attribution.md says, "
          + "independent of any model's tokenizer.", ""})
  static final class Build implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CORPUS", description = "Text files, folders and .jsonl files.")
    List<Path> corpus;

    @Option(names = {"-o", "--output"}, paramLabel = "INDEX", required = true, description = "Directory to write the index to (new or empty).")
    Path output;

    @Option(names = "--text-field", paramLabel = "NAME", defaultValue = "text",
        description = "Field holding the text in JSON Lines files (default: ${DEFAULT-VALUE}).")
    String textField;

    @Override
    public Integer call() throws IOException {
      for (Path p : corpus) {
        if (!Files.exists(p)) {
          throw new UserFacingException("no such file or folder: " + p);
        }
      }
      if (Files.isDirectory(output)) {
        try (var entries = Files.list(output)) {
          if (entries.findAny().isPresent()) {
            throw new UserFacingException(output + " is not empty; give a new or empty directory");
          }
        }
      }
      IndexBuilder builder = new IndexBuilder(output);
      ProgressBar[] bar = {null};
      String[] phase = {""};
      builder.onProgress((p, done, total) -> {
        if (!p.name().equals(phase[0])) {
          if (bar[0] != null) {
            bar[0].close();
          }
          phase[0] = p.name();
          bar[0] = ProgressBar.onStderr(p.name().toLowerCase(Locale.ROOT), Math.max(total, 0),
              p == io.driftwatch.attribution.BuildProgress.Phase.READING ? "words" : "steps");
        }
        bar[0].advanceTo(done);
      });
      for (Path p : corpus) {
        if (Files.isDirectory(p)) {
          builder.addDirectory(p);
        } else if (p.getFileName().toString().endsWith(".jsonl")) {
          builder.addJsonLines(p, textField);
        } else {
          builder.addFile(p);
        }
      }
      BuildSummary summary = builder.build();
      if (bar[0] != null) {
        bar[0].close();
      }
      System.out.printf(Locale.ROOT, "indexed %,d documents, %,d words (%,d distinct) into %s: %,d bytes (%.1f per word) in %.1f s%s%n",
          summary.documents(), summary.tokens(), summary.vocabulary(), output, summary.bytesOnDisk(),
          summary.tokens() == 0 ? 0.0 : (double) summary.bytesOnDisk() / summary.tokens(), summary.seconds(),
          summary.skippedRecords() > 0 ? "; " + summary.skippedRecords() + " JSON lines without '" + textField + "' skipped" : "");
      return 0;
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true, description = {"Summarise an index: documents, words, size.", ""})
  static final class Info implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "INDEX")
    Path index;

    @Option(names = "--documents", paramLabel = "N", defaultValue = "20", description = "Documents to list (default: ${DEFAULT-VALUE}).")
    int documents;

    @Override
    public Integer call() {
      AttributionIndex idx = open(index);
      PrintStream out = System.out;
      out.printf(Locale.ROOT, "index %s: %,d documents, %,d words, %,d distinct words%n", index, idx.documentCount(), idx.tokens(),
          idx.vocabularySize());
      List<DocumentInfo> docs = idx.documents();
      for (int i = 0; i < Math.min(documents, docs.size()); i++) {
        out.printf(Locale.ROOT, "  %6d  %,10d words  %s%n", docs.get(i).id(), docs.get(i).words(), docs.get(i).name());
      }
      if (docs.size() > documents) {
        out.printf("  ... and %,d more%n", docs.size() - documents);
      }
      return 0;
    }
  }

  @Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Show which spans of a text occur verbatim in the indexed corpus, and where.", ""})
  static final class Query implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "INDEX")
    Path index;

    @Parameters(index = "1", paramLabel = "TEXT", description = "The text to look up (quote it).")
    String text;

    @Option(names = "--min-words", paramLabel = "N", defaultValue = "5", description = "Shortest span to show (default: ${DEFAULT-VALUE}).")
    int minWords;

    @Override
    public Integer call() {
      AttributionIndex idx = open(index);
      StreamingMatcher matcher = new StreamingMatcher(idx, MatchSettings.DEFAULTS.withMinSpan(Math.max(1, minWords)));
      MatchState state = matcher.start();
      List<String> words = WordTokenizer.words(text);
      List<Span> spans = new ArrayList<>();
      MatchListener listener = new MatchListener() {
        @Override
        public void span(Span span) {
          spans.add(span);
        }
      };
      for (String w : words) {
        matcher.append(state, w, listener);
      }
      matcher.finish(state, listener);
      PrintStream out = System.out;
      out.printf(Locale.ROOT, "%d words; %d spans of %d words or more found in the index%n", words.size(), spans.size(), minWords);
      for (Span s : spans) {
        out.printf(Locale.ROOT, "  words %d-%d (%d): \"%s\"%n", s.start(), s.end() - 1, s.length(),
            String.join(" ", words.subList(s.start(), s.end())));
        StringBuilder where = new StringBuilder();
        for (Occurrence o : s.listed()) {
          where.append(where.length() == 0 ? "" : ", ").append(o.documentName()).append(" @").append(o.offset());
        }
        out.printf(Locale.ROOT, "      %,d occurrence%s: %s%s%n", s.occurrences(), s.occurrences() == 1 ? "" : "s", where,
            s.occurrences() > s.listed().size() ? ", ..." : "");
      }
      AttributionSummary summary = matcher.summary(state);
      if (summary.words() > 0) {
        out.printf(Locale.ROOT, "coverage: L=5 %.2f, L=8 %.2f, L=12 %.2f; creativity index %.2f; longest span %d words; %d source documents (%.2f bits)%n",
            summary.coverage(5), summary.coverage(8), summary.coverage(12), summary.creativityIndex(), summary.longestSpan(),
            summary.sourceDocuments(), summary.sourceEntropyBits());
      }
      return 0;
    }
  }
}
