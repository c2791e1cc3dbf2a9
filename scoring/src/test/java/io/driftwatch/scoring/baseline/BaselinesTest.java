package io.driftwatch.scoring.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselinesTest {

  private static Map<String, Double> summary(double loopMax, double topicMax) {
    return Map.of("max_loop_repeats", loopMax, "max_topic_shift", topicMax, "sentence_coherence", 0.3);
  }

  private static Baselines learned(int warmup, int generations, long seed) {
    Baselines b = Baselines.inMemory(new BaselineSettings(warmup, null, Map.of()));
    Random random = new Random(seed);
    for (int i = 0; i < generations; i++) {
      b.learn("m", "run-1", summary(random.nextDouble(), random.nextGaussian()));
    }
    return b;
  }

  @Test
  void noPercentilesWhileWarmingUp() {
    Baselines b = learned(50, 49, 1);
    assertThat(b.ready("m")).isNull();
    assertThat(b.percentiles("m", Map.of("loop_repeats", 0.5), "")).isEmpty();
    BaselineStatus status = b.status("m");
    assertThat(status.ready()).isFalse();
    assertThat(status.generations()).isEqualTo(49);
    assertThat(status.warmup()).isEqualTo(50);
    assertThat(status.quantiles()).isEmpty();

    b.learn("m", "run-1", summary(0.5, 0));
    assertThat(b.ready("m")).isNotNull();
    assertThat(b.percentiles("m", Map.of("loop_repeats", 0.5, "topic_shift", 0.0), ""))
        .containsOnlyKeys("loop_repeats_pct", "topic_shift_pct");
    assertThat(b.status("m").quantiles()).containsOnlyKeys("loop_repeats", "topic_shift");
  }

  @Test
  void percentilesAreTheEmpiricalPercentilesOfTheLearnedMaxima() {
    Random random = new Random(9);
    Baselines b = Baselines.inMemory(new BaselineSettings(2_000, null, Map.of()));
    double[] exact = new double[2_000];
    for (int i = 0; i < exact.length; i++) {
      exact[i] = -Math.log(1 - random.nextDouble()) * 0.2;
      b.learn("m", null, Map.of("max_drift_index", exact[i]));
    }
    Arrays.sort(exact);
    for (int rank : new int[] {100, 1_000, 1_800, 1_980, 1_990}) {
      double oracle = 100.0 * (rank + 0.5) / exact.length;
      Map<String, Double> pct = b.percentiles("m", Map.of("max_drift_index", exact[rank]), "max_");
      assertThat(pct.get("max_drift_index_pct")).isCloseTo(oracle, within(oracle >= 99 ? 0.2 : 1.0));
    }
  }

  @Test
  void aLearnedBaselineFreezesAfterWarmUp() {
    Baselines b = learned(100, 100, 2);
    double before = b.percentiles("m", Map.of("loop_repeats", 0.9), "").get("loop_repeats_pct");
    // Drift after warm-up: every generation loops hard. A frozen baseline does not learn it as normal.
    for (int i = 0; i < 500; i++) {
      b.learn("m", "run-1", summary(5.0, 3.0));
    }
    assertThat(b.status("m").generations()).isEqualTo(100);
    assertThat(b.percentiles("m", Map.of("loop_repeats", 0.9), "").get("loop_repeats_pct")).isEqualTo(before);
    assertThat(b.percentiles("m", Map.of("loop_repeats", 5.0), "").get("loop_repeats_pct")).isEqualTo(100.0);
  }

  @Test
  void aNamedRunAloneIsLearnedFromAndKeepsLearning() {
    Baselines b = Baselines.inMemory(new BaselineSettings(10, "calibration", Map.of()));
    for (int i = 0; i < 30; i++) {
      b.learn("m", "production", summary(9.0, 9.0));
    }
    assertThat(b.status("m")).isNull();
    for (int i = 0; i < 30; i++) {
      b.learn("m", "calibration", summary(i / 30.0, 0));
    }
    BaselineStatus status = b.status("m");
    assertThat(status.source()).isEqualTo("run");
    assertThat(status.generations()).isEqualTo(30);
    assertThat(b.percentiles("m", Map.of("loop_repeats", 2.0), "").get("loop_repeats_pct")).isEqualTo(100.0);
  }

  @Test
  void modelsHaveTheirOwnBaselines() {
    Baselines b = Baselines.inMemory(new BaselineSettings(20, null, Map.of()));
    for (int i = 0; i < 20; i++) {
      b.learn("quiet", null, summary(0.01 * i, 0));
      b.learn("loud", null, summary(1 + 0.01 * i, 0));
    }
    assertThat(b.percentiles("quiet", Map.of("loop_repeats", 0.5), "").get("loop_repeats_pct")).isEqualTo(100.0);
    assertThat(b.percentiles("loud", Map.of("loop_repeats", 0.5), "").get("loop_repeats_pct")).isEqualTo(0.0);
    assertThat(b.ready(null)).isNull();
  }

  @Test
  void modelsPastTheCapGetNoBaseline() {
    Baselines b = Baselines.inMemory(new BaselineSettings(2, null, Map.of()));
    for (int i = 0; i < Baselines.MAX_MODELS + 5; i++) {
      b.learn("model-" + i, null, summary(0.5, 0));
    }
    assertThat(b.status("model-" + (Baselines.MAX_MODELS - 1))).isNotNull();
    assertThat(b.status("model-" + Baselines.MAX_MODELS)).isNull();
    assertThat(b.percentiles("model-" + Baselines.MAX_MODELS, Map.of("loop_repeats", 0.5), "")).isEmpty();
    // A model that has a baseline goes on learning at the cap.
    b.learn("model-0", null, summary(0.5, 0));
    assertThat(b.status("model-0").generations()).isEqualTo(2);
    assertThat(b.status("model-0").ready()).isTrue();
  }

  @Test
  void aScoreSeldomDefinedInTheBaselineGetsNoPercentile() {
    Baselines b = Baselines.inMemory(new BaselineSettings(40, null, Map.of()));
    for (int i = 0; i < 40; i++) {
      Map<String, Double> s = new HashMap<>(Map.of("max_loop_repeats", 0.1 * i));
      if (i < 19) {
        s.put("max_topic_shift", 0.01 * i);
      }
      b.learn("m", null, s);
    }
    assertThat(b.percentiles("m", Map.of("loop_repeats", 1.0, "topic_shift", 0.1), "")).containsOnlyKeys("loop_repeats_pct");
  }

  @Test
  void aNewInstanceOverTheSameStoreGivesTheSamePercentiles() {
    Map<String, byte[]> map = new HashMap<>();
    BaselineStore store = new BaselineStore() {
      @Override
      public byte[] get(String model) {
        return map.get(model);
      }

      @Override
      public void put(String model, byte[] baseline) {
        map.put(model, baseline.clone());
      }

      @Override
      public long count() {
        return map.size();
      }
    };
    BaselineSettings settings = new BaselineSettings(300, null, Map.of());
    Baselines first = new Baselines(settings, store);
    Baselines never = Baselines.inMemory(settings);
    Random random = new Random(4);
    for (int i = 0; i < 300; i++) {
      Map<String, Double> s = summary(random.nextDouble(), random.nextGaussian());
      first.learn("m", null, s);
      never.learn("m", null, s);
      if (i == 150) {
        // A restart half-way through the warm-up: it goes on from the stored bytes.
        first = new Baselines(settings, store);
      }
    }
    Baselines restored = new Baselines(settings, store);
    for (double v = -2; v <= 2; v += 0.1) {
      Map<String, Double> scores = Map.of("loop_repeats", v, "topic_shift", v);
      assertThat(restored.percentiles("m", scores, "")).isEqualTo(never.percentiles("m", scores, ""));
    }
  }

  @Test
  void aFileBaselineIsUsedAsItIsAndNeverLearnedInto(@TempDir Path dir) throws Exception {
    Baselines made = learned(200, 200, 6);
    Path file = dir.resolve("baselines.json");
    BaselineFile.write(file, Map.of("m", made.ready("m")));
    assertThat(Files.readString(file)).contains("\"loop_repeats\"", "\"99.5\"", "\"generations\" : 200");

    Baselines loaded = Baselines.inMemory(new BaselineSettings(5_000, null, BaselineFile.read(file)));
    Map<String, Double> scores = Map.of("loop_repeats", 0.7, "topic_shift", 1.5);
    assertThat(loaded.percentiles("m", scores, "")).isEqualTo(made.percentiles("m", scores, "")).isNotEmpty();
    for (int i = 0; i < 50; i++) {
      loaded.learn("m", null, summary(9, 9));
    }
    assertThat(loaded.percentiles("m", scores, "")).isEqualTo(made.percentiles("m", scores, ""));
    assertThat(loaded.status("m").source()).isEqualTo("file");
    assertThat(loaded.status("m").warmup()).isEqualTo(200);
  }

  @Test
  void badFilesAndUnknownVersionsAreRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("b.json");
    Files.writeString(file, "{\"format\": \"driftwatch-baselines\", \"version\": 9, \"models\": {}}");
    assertThatThrownBy(() -> BaselineFile.read(file)).hasMessageContaining("not a baselines file of version 1");
    byte[] bytes = learned(5, 5, 1).ready("m").encode();
    bytes[0] = 7;
    assertThatThrownBy(() -> ModelBaseline.decode(bytes)).hasMessageContaining("version 7");
  }
}
