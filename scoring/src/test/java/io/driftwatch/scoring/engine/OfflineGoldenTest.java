package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.calibration.CalibrationEvents;
import io.driftwatch.producers.calibration.CalibrationSet;
import io.driftwatch.producers.calibration.LabelledText;
import io.driftwatch.producers.calibration.LegitimateRepetition;
import io.driftwatch.producers.calibration.LoopScenarios;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.offline.OfflineScorer;
import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the offline scorer writes for a fixed workload, byte for byte, against a file kept in the
 * repository: the demo scenarios, passages of the calibration set (steady, spliced, renamed), loops,
 * legitimately repetitive text and malformed lines, scored lexically, semantically and with
 * attribution. A refactoring must leave it unchanged; a change meant to alter the scores rewrites it
 * ({@code -Ddriftwatch.writeGolden=true}) and the diff shows what changed. The semantic scores come
 * from a deterministic encoder (hashed words), not the model, so the file does not depend on the
 * machine's floating point; the real model is checked in RealTextAlertsTest.
 */
class OfflineGoldenTest {

  private static final Path GOLDEN = Path.of("src/test/resources/io/driftwatch/scoring/engine/offline-golden.jsonl");

  @Test
  void theOfflineScorerWritesExactlyTheGoldenOutput(@TempDir Path dir) throws IOException {
    String actual = score(workload(), attribution(dir));
    if (Boolean.getBoolean("driftwatch.writeGolden")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual);
    }
    String expected = Files.readString(GOLDEN);
    if (!actual.equals(expected)) {
      String[] a = actual.split("\n", -1);
      String[] e = expected.split("\n", -1);
      for (int i = 0; i < Math.min(a.length, e.length); i++) {
        if (!a[i].equals(e[i])) {
          fail("line " + (i + 1) + " of " + GOLDEN + " differs (rewrite it with -Ddriftwatch.writeGolden=true if the change is meant)"
              + "\nexpected: " + e[i] + "\nactual:   " + a[i]);
        }
      }
      fail("the output has " + a.length + " lines, " + GOLDEN + " has " + e.length);
    }
    assertThat(actual.lines().count()).isGreaterThan(500);
  }

  /** The inputs, one event per line as on the tokens topic. */
  static List<byte[]> workload() {
    List<byte[]> lines = new ArrayList<>();
    for (Scenario scenario : Scenario.values()) {
      for (ScenarioFixtures.Case c : ScenarioFixtures.cases(scenario, 2, 160, 2026)) {
        c.events().forEach(e -> lines.add(EventCodec.encode(e)));
      }
    }
    List<LabelledText> texts = new ArrayList<>(CalibrationSet.build(2026, 1));
    texts.addAll(LoopScenarios.generate(16, 6));
    texts.addAll(LegitimateRepetition.generate(16, 1));
    for (LabelledText text : texts) {
      for (GenerationEvent e : CalibrationEvents.of(text, "golden", "golden-model").events()) {
        lines.add(EventCodec.encode(e));
      }
    }
    lines.add("{not json".getBytes(StandardCharsets.UTF_8));
    lines.add("{\"v\":1,\"type\":\"token\",\"generation_id\":\"g\",\"seq\":-1,\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    return lines;
  }

  private static AttributionScoring attribution(Path dir) throws IOException {
    IndexBuilder builder = new IndexBuilder(dir);
    for (Map.Entry<String, String> book : ScenarioFixtures.CORPUS.references().entrySet()) {
      builder.addText(book.getKey(), book.getValue());
    }
    builder.build();
    return new AttributionScoring(new StreamingMatcher(AttributionIndex.open(dir), MatchSettings.DEFAULTS));
  }

  private static String score(List<byte[]> lines, AttributionScoring attribution) {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true, attribution);
    StringBuilder out = new StringBuilder();
    OfflineScorer.Sink sink = new OfflineScorer.Sink() {
      @Override
      public void score(byte[] json) {
        out.append("score ").append(new String(json, StandardCharsets.UTF_8)).append('\n');
      }

      @Override
      public void alert(byte[] json) {
        out.append("alert ").append(new String(json, StandardCharsets.UTF_8)).append('\n');
      }

      @Override
      public void deadLetter(byte[] json) {
        out.append("dead ").append(new String(json, StandardCharsets.UTF_8)).append('\n');
      }

      @Override
      public void span(byte[] json) {
        out.append("span ").append(new String(json, StandardCharsets.UTF_8)).append('\n');
      }
    };
    OfflineScorer scorer = new OfflineScorer(engine, new EmbeddingBatch(engine, new HashedWords(), 64), "golden", sink);
    long lineNumber = 0;
    for (byte[] line : lines) {
      scorer.accept(line, ++lineNumber);
    }
    scorer.finish();
    return out.toString();
  }

  /** A deterministic stand-in for the model: each lower-cased word adds a hashed direction; unit length. */
  static final class HashedWords implements SentenceEncoder {
    @Override
    public float[][] encode(List<String> sentences) {
      float[][] out = new float[sentences.size()][];
      for (int i = 0; i < out.length; i++) {
        float[] v = new float[48];
        for (String word : sentences.get(i).toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
          if (!word.isEmpty()) {
            int h = word.hashCode();
            v[Math.floorMod(h, v.length)] += 1;
            v[Math.floorMod(h >>> 8, v.length)] -= 0.5f;
          }
        }
        double norm = 0;
        for (float f : v) {
          norm += f * f;
        }
        for (int d = 0; d < v.length; d++) {
          v[d] = norm == 0 ? 0 : (float) (v[d] / Math.sqrt(norm));
        }
        out[i] = v;
      }
      return out;
    }
  }
}
