package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.baseline.BaselineFile;
import io.driftwatch.scoring.baseline.ModelBaseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftwatch calibrate} makes a baselines file; {@code score --baseline} measures against it from the first generation. */
class CalibrateCommandTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
  private static final DemoCorpus CORPUS = DemoCorpus.load();

  @Test
  void calibratesAModelThenScoresAgainstItsBaseline(@TempDir Path dir) throws Exception {
    Random random = new Random(2);
    List<String> normal = new ArrayList<>();
    for (int g = 0; g < 120; g++) {
      normal.addAll(generation("normal-" + g, "model-x", Scenario.STEADY, random));
    }
    for (int g = 0; g < 10; g++) {
      normal.addAll(generation("other-" + g, "model-y", Scenario.STEADY, random));
    }
    Path archive = Files.write(dir.resolve("normal.jsonl"), normal, UTF_8);
    Path baselines = dir.resolve("baselines.json");
    ArchiveFixtures.Run calibrated = ArchiveFixtures.run("calibrate", archive.toString(), "-o", baselines.toString());
    assertThat(calibrated.status()).isZero();
    assertThat(calibrated.err()).contains("model model-x: 120 generations;", "loop_repeats p99.5",
        "model model-y: 10 generations, fewer than --min-generations 100; no baseline");
    Map<String, ModelBaseline> read = BaselineFile.read(baselines);
    assertThat(read).containsOnlyKeys("model-x");
    assertThat(read.get("model-x").generations()).isEqualTo(120);
    assertThat(read.get("model-x").sketches()).containsKeys("loop_repeats", "drift_index", "entity_shift");

    List<String> today = new ArrayList<>();
    today.addAll(generation("loop-1", "model-x", Scenario.REPETITION_LOOP, random));
    Path input = Files.write(dir.resolve("today.jsonl"), today, UTF_8);
    Path rules = Files.writeString(dir.resolve("rules.json"),
        "[{\"name\": \"loop_p995\", \"score\": \"loop_repeats_pct\", \"fire_at\": 99.5, \"clear_below\": 95, "
            + "\"for_sentences\": 1, \"clear_sentences\": 2}]");
    Path alerts = dir.resolve("alerts.jsonl");
    ArchiveFixtures.Run scored = ArchiveFixtures.run("score", input.toString(), "--baseline", baselines.toString(), "--alert-rules", rules.toString(),
        "--alerts", alerts.toString());
    assertThat(scored.status()).isZero();
    assertThat(scored.out()).contains("\"loop_repeats_pct\":", "\"max_loop_repeats_pct\":100.0");
    assertThat(Files.readString(alerts)).contains("\"rule\":\"loop_p995\"", "\"state\":\"firing\"");

    // Without the file the model would still be warming up: no percentiles, no percentile alert.
    ArchiveFixtures.Run unbaselined = ArchiveFixtures.run("score", input.toString(), "--alert-rules", rules.toString(), "--alerts", alerts.toString());
    assertThat(unbaselined.out()).doesNotContain("_pct");
    assertThat(Files.readString(alerts)).isEmpty();
  }

  @Test
  void anArchiveWithoutEnoughGenerationsWritesNothing(@TempDir Path dir) throws Exception {
    Path archive = Files.write(dir.resolve("few.jsonl"), generation("g", "model-z", Scenario.STEADY, new Random(1)), UTF_8);
    Path out = dir.resolve("b.json");
    ArchiveFixtures.Run result = ArchiveFixtures.run("calibrate", archive.toString(), "-o", out.toString());
    assertThat(result.status()).isNotZero();
    assertThat(result.err()).contains("no model has 100 generations");
    assertThat(out).doesNotExist();
  }

  private static List<String> generation(String id, String model, Scenario scenario, Random random) {
    Scenario.Script script = scenario.script(CORPUS, random, 150);
    List<String> lines = new ArrayList<>();
    lines.add(json(new GenerationEvent.Start(1, id, "archive", model, script.prompt(), null, Map.of(), T0)));
    for (int seq = 0; seq < script.tokens().size(); seq++) {
      lines.add(json(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, null, null, T0.plusMillis(20L * seq))));
    }
    lines.add(json(new GenerationEvent.End(1, id, "length", T0.plusMillis(20L * script.tokens().size()))));
    return lines;
  }

  private static String json(GenerationEvent event) {
    return new String(EventCodec.encode(event), UTF_8);
  }
}
