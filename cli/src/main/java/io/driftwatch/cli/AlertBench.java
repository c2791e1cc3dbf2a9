package io.driftwatch.cli;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.producers.calibration.CalibrationEvents;
import io.driftwatch.producers.calibration.CalibrationSet;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.producers.calibration.LegitimateRepetition;
import io.driftwatch.producers.calibration.LoopScenarios;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code driftwatch bench alerts}: how often each alert rule fires on steady real text of every genre,
 * and how often it catches each kind of drift, on the calibration set's held-out half.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "False alarms and hit rates of the alert rules on real text: passages of every bundled book's genre, "
          + "left steady, spliced into another book or a distant chapter, with their names swapped, or falling "
          + "into a loop (exact, with a counter, with small edits); and legitimately repetitive text (tables, "
          + "lists, code, JSON, CSV, verse with refrains) on which no rule should fire. Scored offline by the "
          + "same engine as the monitor.",
      "Thresholds are tuned on one half of the set (--half tune) and reported on the other (the default); "
          + "rates come with 95%% Wilson intervals, scores with their AUROC (docs/scores.md).",
      ""})
final class AlertBench implements Callable<Integer> {

  @Option(names = "--half", defaultValue = "holdout", paramLabel = "HALF",
      description = "Which half of the set to score: holdout, tune or all (default: ${DEFAULT-VALUE}).")
  String half;

  @Option(names = "--per-genre", defaultValue = "100", paramLabel = "N",
      description = "Texts of each scenario per genre, before the split into halves (default: ${DEFAULT-VALUE}).")
  int perGenre;

  @Option(names = "--seed", defaultValue = "2026", paramLabel = "N", description = "Seed of the set (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--output", paramLabel = "FILE", description = "Also write the report here (Markdown).")
  Path output;

  @Option(names = "--records", paramLabel = "FILE",
      description = "Write every text's sentence and summary records with its label here (JSON lines), for tuning.")
  Path records;

  @Option(names = "--embedding-cache", paramLabel = "FILE",
      description = "Keep the sentence embeddings in this file between runs (the set is the same for a seed).")
  Path embeddingCache;

  @Mixin ScoringOptions scoring;

  @Mixin SemanticOptions semantic;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws IOException {
    if (!List.of("holdout", "tune", "all").contains(half)) {
      throw new UserFacingException("--half must be holdout, tune or all, not " + half);
    }
    if (perGenre < 2) {
      throw new UserFacingException("--per-genre must be at least 2");
    }
    ScoringSettings settings = scoring.settings();
    List<LabelledText> all = new ArrayList<>(CalibrationSet.build(seed, perGenre));
    all.addAll(LoopScenarios.generate(seed, perGenre * 5));
    all.addAll(LegitimateRepetition.generate(seed, Math.max(2, perGenre / 2)));
    List<LabelledText> texts = all.stream()
        .filter(t -> half.equals("all") || t.holdout() == half.equals("holdout"))
        .toList();
    List<Result> results;
    try (SentenceEmbedder embedder = semantic.open(System.err);
        EmbeddingCache cache = embedder == null ? null : EmbeddingCache.open(embeddingCache, embedder::embed)) {
      results = score(texts, settings, cache);
    }
    String report = AlertReport.render(results, settings.alertRules(), half, seed, perGenre);
    out.print(report);
    if (output != null) {
      Files.writeString(output, report);
    }
    if (records != null) {
      writeRecords(results);
    }
    return 0;
  }

  /** One scored text: its label, its records and the alerts it raised, and where its change lies. */
  record Result(LabelledText text, List<ScoreRecord> sentences, ScoreRecord summary, List<AlertEvent> alerts, long changeSeq) {

    /** Index of the sentence holding a token; -1 when none does. */
    int sentenceOf(long seq) {
      for (ScoreRecord s : sentences) {
        if (seq >= s.firstSeq() && seq <= s.lastSeq()) {
          return s.sentence();
        }
      }
      return -1;
    }

    /** The first firing of a rule that reached past the change (any firing for texts left as they were). */
    AlertEvent firing(String rule) {
      for (AlertEvent a : alerts) {
        if (a.rule().equals(rule) && AlertEvent.FIRING.equals(a.state()) && (changeSeq < 0 || a.lastSeq() >= changeSeq)) {
          return a;
        }
      }
      return null;
    }
  }

  private List<Result> score(List<LabelledText> texts, ScoringSettings settings, SentenceEncoder encoder) {
    ScoringEngine engine = new ScoringEngine(settings, encoder != null);
    Map<String, List<ScoreRecord>> sentences = new HashMap<>();
    Map<String, ScoreRecord> summaries = new HashMap<>();
    Map<String, List<AlertEvent>> alerts = new HashMap<>();
    // No baselines: the set mixes altered and steady texts, so a baseline learned from it would measure
    // nothing, and the rules it benchmarks are raw.
    OfflineScorer scorer = new OfflineScorer(engine, encoder == null ? null : new EmbeddingBatch(engine, encoder, semantic.batch),
        InMemoryGenerationStore.withoutBaselines(), "calibration", new OfflineScorer.Sink() {
          @Override
          public void score(byte[] json) {
            ScoreRecord r = read(json, ScoreRecord.class);
            if (ScoreRecord.SUMMARY.equals(r.kind())) {
              summaries.put(r.generationId(), r);
            } else {
              sentences.computeIfAbsent(r.generationId(), k -> new ArrayList<>()).add(r);
            }
          }

          @Override
          public void alert(byte[] json) {
            AlertEvent a = read(json, AlertEvent.class);
            alerts.computeIfAbsent(a.generationId(), k -> new ArrayList<>()).add(a);
          }

          @Override
          public void deadLetter(byte[] json) {
            throw new IllegalStateException("the calibration set produced a dead letter: " + new String(json, StandardCharsets.UTF_8));
          }
        });
    Map<String, Long> changeSeqs = new HashMap<>();
    try (ProgressBar progress = ProgressBar.onStderr("scoring the calibration set", texts.size(), "texts")) {
      long line = 0;
      int done = 0;
      for (LabelledText text : texts) {
        CalibrationEvents events = CalibrationEvents.of(text, "calibration", "human-text");
        changeSeqs.put(text.id(), events.changeSeq());
        for (GenerationEvent event : events.events()) {
          scorer.accept(EventCodec.encode(event), ++line);
        }
        progress.advanceTo(++done);
      }
      scorer.finish();
    }
    List<Result> out = new ArrayList<>();
    for (LabelledText text : texts) {
      out.add(new Result(text, sentences.getOrDefault(text.id(), List.of()), summaries.get(text.id()),
          alerts.getOrDefault(text.id(), List.of()), changeSeqs.get(text.id())));
    }
    return out;
  }

  private void writeRecords(List<Result> results) throws IOException {
    try (var w = Files.newBufferedWriter(records)) {
      for (Result r : results) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.text().id());
        row.put("genre", r.text().genre());
        row.put("scenario", r.text().scenario());
        row.put("holdout", r.text().holdout());
        row.put("change_seq", r.changeSeq());
        row.put("prompt", r.text().prompt());
        row.put("text", r.text().text());
        row.put("change_sentence", r.changeSeq() < 0 ? -1 : r.sentenceOf(r.changeSeq()));
        row.put("sentences", r.sentences().stream().map(s -> Map.of("i", s.sentence(), "first", s.firstSeq(), "last", s.lastSeq(),
            "scores", new TreeMap<>(s.scores()))).toList());
        row.put("summary", r.summary() == null ? Map.of() : new TreeMap<>(r.summary().scores()));
        w.write(EventCodec.MAPPER.writeValueAsString(row));
        w.newLine();
      }
    }
  }

  private static <T> T read(byte[] json, Class<T> type) {
    try {
      return EventCodec.fromJson(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rules as the report names them. */
  static List<String> ruleNames(List<AlertRule> rules) {
    List<String> names = new ArrayList<>();
    rules.forEach(r -> names.add(r.name()));
    return names;
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }
}
