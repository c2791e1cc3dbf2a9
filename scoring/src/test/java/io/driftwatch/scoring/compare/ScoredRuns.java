package io.driftwatch.scoring.compare;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.OfflineScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Demo-corpus texts scored by the real engine (no semantic model), as the summary records of a run. */
final class ScoredRuns {

  static final DemoCorpus CORPUS = DemoCorpus.load();
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

  private ScoredRuns() {}

  /** The scripts of one archive: {@code n} texts of a scenario, drawn with a seed. */
  static List<Scenario.Script> scripts(Scenario scenario, int n, long seed) {
    Random random = new Random(seed);
    List<Scenario.Script> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(scenario.script(CORPUS, random, 160));
    }
    return out;
  }

  /** Scores the scripts as run {@code runId}, row i getting the id {@code <run id>:row-i}; returns the summaries. */
  static List<ScoreRecord> score(String runId, List<Scenario.Script> scripts) {
    List<ScoreRecord> summaries = new ArrayList<>();
    OfflineScorer scorer = new OfflineScorer(new ScoringEngine(ScoringSettings.DEFAULTS), runId, new OfflineScorer.Sink() {
      @Override
      public void score(byte[] json) {
        try {
          ScoreRecord r = EventCodec.fromJson(json, ScoreRecord.class);
          if (ScoreRecord.SUMMARY.equals(r.kind())) {
            summaries.add(r);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void alert(byte[] json) {}

      @Override
      public void deadLetter(byte[] json) {
        throw new AssertionError(new String(json, java.nio.charset.StandardCharsets.UTF_8));
      }
    });
    long line = 0;
    for (int i = 0; i < scripts.size(); i++) {
      for (GenerationEvent e : events(runId, runId + ":row-" + i, scripts.get(i))) {
        scorer.accept(EventCodec.encode(e), ++line);
      }
    }
    scorer.finish();
    return summaries;
  }

  static RunScores run(String label, List<ScoreRecord> summaries) {
    RunScores.Builder b = new RunScores.Builder(label);
    summaries.forEach(b::add);
    return b.build();
  }

  private static List<GenerationEvent> events(String runId, String id, Scenario.Script script) {
    List<GenerationEvent> events = new ArrayList<>();
    events.add(new GenerationEvent.Start(1, id, runId, "m", script.prompt(), null, Map.of(), T0));
    for (int seq = 0; seq < script.tokens().size(); seq++) {
      events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, null, null, T0.plusMillis(25L * (seq + 1))));
    }
    events.add(new GenerationEvent.End(1, id, "length", T0.plusMillis(25L * (script.tokens().size() + 1))));
    return events;
  }
}
