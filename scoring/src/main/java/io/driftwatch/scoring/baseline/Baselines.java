package io.driftwatch.scoring.baseline;

import io.driftwatch.contract.Score;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The baselines of one store (a Kafka Streams task's, or the offline scorer's): learns each model's
 * baseline from its generations' summaries and gives the percentile of a score against it.
 *
 * <p>Decoded baselines are kept in memory: the store changes only through {@link #learn}, which
 * updates this copy, or through a restore, after which a new instance is made. The copy is always what
 * the stored bytes decode to (never the object that was learned into), so a task that reads its store
 * back after a restart or a state wipe gives the same percentiles as one that never stopped.
 */
public final class Baselines {

  /** Suffix of a score's percentile beside its raw value in score records: {@code topic_shift_pct}. */
  public static final String PCT_SUFFIX = Score.PERCENTILE_SUFFIX;

  private final BaselineSettings settings;
  private final BaselineStore store;
  private final Map<String, ModelBaseline> decoded = new HashMap<>();
  /**
   * Models known to have no baseline in the store, so that their sentences do not read the store each
   * time; cleared when it grows large, since model names come from producers.
   */
  private final java.util.Set<String> absent = new java.util.HashSet<>();
  /** Models with a baseline in the store; -1 until first needed. */
  private long models = -1;

  /**
   * Most models a store keeps baselines for: model names come from producers, and one that sent a new
   * name with every generation must not grow the store and its changelog without bound. Models past the
   * cap get no baseline (and no percentiles).
   */
  public static final int MAX_MODELS = 1_000;
  private static final int MAX_ABSENT = 10_000;

  public Baselines(BaselineSettings settings, BaselineStore store) {
    this.settings = settings;
    this.store = store;
  }

  /** Baselines kept in a map, as offline. */
  public static Baselines inMemory(BaselineSettings settings) {
    Map<String, byte[]> map = new HashMap<>();
    return new Baselines(settings, new BaselineStore() {
      @Override
      public byte[] get(String model) {
        return map.get(model);
      }

      @Override
      public void put(String model, byte[] baseline) {
        map.put(model, baseline);
      }

      @Override
      public long count() {
        return map.size();
      }
    });
  }

  public BaselineSettings settings() {
    return settings;
  }

  /**
   * Learns a closed generation from its summary scores, if its model's baseline is still learning: a
   * learned baseline freezes after N generations, so drift that follows does not become its normal; a
   * named run's baseline learns from that run only; a file's never changes.
   */
  public void learn(String model, String runId, Map<String, Double> summaryScores) {
    if (model == null || settings.fixed().containsKey(model)) {
      return;
    }
    if (settings.run() != null && !settings.run().equals(runId)) {
      return;
    }
    ModelBaseline current = stored(model);
    if (current == null) {
      if (models < 0) {
        models = store.count();
      }
      if (models >= MAX_MODELS) {
        return;
      }
      models++;
    }
    ModelBaseline next = current == null ? new ModelBaseline() : current;
    if (settings.run() == null && next.generations() >= settings.warmupGenerations()) {
      return;
    }
    next.learn(summaryScores);
    byte[] bytes = next.encode();
    store.put(model, bytes);
    decoded.put(model, ModelBaseline.decode(bytes));
    absent.remove(model);
  }

  /**
   * The percentiles of the alertable scores among {@code scores} (keys {@code <prefix><score>}) against
   * the model's baseline, as {@code <prefix><score>_pct}; empty while the baseline warms up. A score
   * whose sketch holds values from fewer than half the baseline's generations gets none: so thin a
   * sketch would not place the tails the rules watch.
   *
   * @param prefix {@code ""} for a sentence record's rolling scores, {@code "max_"} for a summary's maxima
   */
  public Map<String, Double> percentiles(String model, Map<String, Double> scores, String prefix) {
    ModelBaseline baseline = ready(model);
    if (baseline == null) {
      return Map.of();
    }
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<String, ScoreSketch> e : baseline.sketches().entrySet()) {
      Double value = scores.get(prefix + e.getKey());
      ScoreSketch sketch = e.getValue();
      if (value != null && 2 * sketch.count() >= baseline.generations()) {
        // Two decimals: the sketch's error is larger than that, and the records stay short.
        out.put(prefix + e.getKey() + PCT_SUFFIX, Math.round(sketch.percentile(value) * 100) / 100.0);
      }
    }
    return out;
  }

  /** The model's baseline if it is ready to measure against, else null (none, or still warming up). */
  public ModelBaseline ready(String model) {
    if (model == null) {
      return null;
    }
    ModelBaseline fixed = settings.fixed().get(model);
    if (fixed != null) {
      return fixed;
    }
    ModelBaseline baseline = stored(model);
    return baseline != null && baseline.generations() >= settings.warmupGenerations() ? baseline : null;
  }

  /** What the model's baseline looks like now (for metrics and the web view), or null if it has none. */
  public BaselineStatus status(String model) {
    ModelBaseline fixed = settings.fixed().get(model);
    ModelBaseline baseline = fixed != null ? fixed : stored(model);
    if (baseline == null) {
      return null;
    }
    String source = fixed != null ? "file" : settings.run() != null ? "run" : "learned";
    int warmup = fixed != null ? fixed.generations() : settings.warmupGenerations();
    boolean ready = ready(model) != null;
    Map<String, Map<String, Double>> quantiles = new TreeMap<>();
    if (ready) {
      for (Map.Entry<String, ScoreSketch> e : baseline.sketches().entrySet()) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (double p : BaselineStatus.PERCENTILES) {
          values.put(label(p), e.getValue().quantile(p));
        }
        quantiles.put(e.getKey(), values);
      }
    }
    return new BaselineStatus(model, source, baseline.generations(), warmup, ready, quantiles);
  }

  /** A percentile as a label: {@code 99.5}, {@code 50}. */
  public static String label(double percentile) {
    return percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile);
  }

  private ModelBaseline stored(String model) {
    ModelBaseline baseline = decoded.get(model);
    if (baseline == null && !absent.contains(model)) {
      byte[] bytes = store.get(model);
      if (bytes != null) {
        baseline = ModelBaseline.decode(bytes);
        decoded.put(model, baseline);
      } else {
        if (absent.size() >= MAX_ABSENT) {
          absent.clear();
        }
        absent.add(model);
      }
    }
    return baseline;
  }
}
