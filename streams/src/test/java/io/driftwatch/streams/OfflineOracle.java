package io.driftwatch.streams;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.offline.OfflineScorer;
import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What the offline scorer writes to the scores (or alerts) topic for each generation alone: the oracle of the streaming tests. */
public final class OfflineOracle {

  private OfflineOracle() {}

  /** Score records as JSON, by generation, without semantic scores. */
  public static Map<String, List<String>> scores(Map<String, List<GenerationEvent>> generations) {
    return scores(generations, null);
  }

  /** The same with semantic scores from {@code encoder} when it is not null. */
  public static Map<String, List<String>> scores(Map<String, List<GenerationEvent>> generations, SentenceEncoder encoder) {
    return run(generations, encoder, id -> false, false);
  }

  /** The same, the generations that {@code shed} names scored without semantic scores (load shedding). */
  public static Map<String, List<String>> scores(Map<String, List<GenerationEvent>> generations, SentenceEncoder encoder,
      Predicate<String> shed) {
    return run(generations, encoder, shed, false);
  }

  /** Alert events as JSON, by generation, in the order the offline scorer writes them; semantic scores from {@code encoder}. */
  public static Map<String, List<String>> alerts(Map<String, List<GenerationEvent>> generations, SentenceEncoder encoder) {
    return run(generations, encoder, id -> false, true);
  }

  private static Map<String, List<String>> run(Map<String, List<GenerationEvent>> generations, SentenceEncoder encoder,
      Predicate<String> shed, boolean alerts) {
    Map<String, List<String>> out = new HashMap<>();
    for (Map.Entry<String, List<GenerationEvent>> g : generations.entrySet()) {
      List<String> records = new ArrayList<>();
      ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, encoder != null);
      EmbeddingBatch batch = encoder != null ? new EmbeddingBatch(engine, encoder, 64) : null;
      OfflineScorer scorer = new OfflineScorer(engine, batch, new InMemoryGenerationStore().shedding(shed), "oracle", new OfflineScorer.Sink() {
        @Override
        public void score(byte[] json) {
          if (!alerts) {
            records.add(new String(json, UTF_8));
          }
        }

        @Override
        public void alert(byte[] json) {
          if (alerts) {
            records.add(new String(json, UTF_8));
          }
        }

        @Override
        public void deadLetter(byte[] json) {}
      });
      long line = 0;
      for (GenerationEvent e : g.getValue()) {
        scorer.accept(EventCodec.encode(e), ++line);
      }
      scorer.finish();
      out.put(g.getKey(), records);
    }
    return out;
  }
}
