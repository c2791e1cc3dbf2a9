package io.driftwatch.streams.metrics;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.producers.metrics.BoundedLabel;
import io.driftwatch.contract.Score;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.SpanRecord;
import io.driftwatch.scoring.baseline.BaselineStatus;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.baseline.ModelBaseline;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Driftwatch's own Prometheus metrics. Labels are bounded (see {@link BoundedLabel}); a generation id is
 * never a label: per-generation detail lives on the scores topic.
 */
public final class DriftwatchMetrics {

  /** Distinct model names kept as label values before the rest count as "other". */
  public static final int DEFAULT_MODEL_CAP = 50;
  /** Distinct run ids kept as label values before the rest count as "other". */
  public static final int DEFAULT_RUN_CAP = 100;

  /**
   * The baseline percentile a generation's maximum of a score must reach to count as an exceedance. A
   * model whose generations are drawn from its baseline's population exceeds it in 5% of them, whatever
   * the score; a higher share says the population moved (docs/scores.md, Population drift).
   */
  public static final double EXCEEDANCE_PERCENTILE = 95.0;

  /**
   * A score observed in a histogram at every sentence record, by model. The help is the score's own
   * ({@link Score#help()}), so the metric says what the score says everywhere else.
   */
  private record ScoreHistogram(Score score, String metric, UnaryOperator<Histogram.Builder> buckets) {
    String help() {
      return score.help() + ", at each sentence, by model";
    }
  }

  private static final List<ScoreHistogram> SCORE_HISTOGRAMS = List.of(
      new ScoreHistogram(Score.LOCAL_COHERENCE, "driftwatch_local_coherence", linear(0, 0.05, 21)),
      new ScoreHistogram(Score.GLOBAL_COMMITMENT, "driftwatch_global_commitment", linear(0, 0.05, 21)),
      new ScoreHistogram(Score.DRIFT_INDEX, "driftwatch_drift_index", linear(-0.5, 0.05, 31)),
      new ScoreHistogram(Score.SEMANTIC_LOCAL_COHERENCE, "driftwatch_semantic_local_coherence", linear(-0.2, 0.05, 25)),
      new ScoreHistogram(Score.SEMANTIC_GLOBAL_COMMITMENT, "driftwatch_semantic_global_commitment", linear(-0.2, 0.05, 25)),
      new ScoreHistogram(Score.SEMANTIC_DRIFT_INDEX, "driftwatch_semantic_drift_index", linear(-0.5, 0.05, 31)),
      new ScoreHistogram(Score.SENTENCE_COHERENCE_RADIUS, "driftwatch_coherence_radius_tokens",
          b -> b.classicUpperBounds(0, 8, 16, 32, 64, 128, 256, 512)),
      new ScoreHistogram(Score.COVERAGE_12, "driftwatch_attribution_coverage_12", linear(0, 0.05, 21)),
      new ScoreHistogram(Score.CREATIVITY_INDEX, "driftwatch_creativity_index", linear(0, 0.5, 17)),
      new ScoreHistogram(Score.REFERENTIAL_DRIFT, "driftwatch_referential_drift", linear(0, 0.05, 21)),
      new ScoreHistogram(Score.TOPIC_SHIFT, "driftwatch_topic_shift", linear(-0.2, 0.05, 27)),
      new ScoreHistogram(Score.NEIGHBOUR_SHIFT, "driftwatch_neighbour_shift", linear(-1, 0.25, 25)),
      new ScoreHistogram(Score.ENTITY_SHIFT, "driftwatch_entity_shift", linear(0, 0.05, 21)),
      new ScoreHistogram(Score.REPETITION_RATE, "driftwatch_repetition_rate", linear(0, 0.05, 21)),
      new ScoreHistogram(Score.SURPRISAL_MEAN, "driftwatch_surprisal_mean_nats", linear(0, 0.5, 21)),
      new ScoreHistogram(Score.TOKENS_PER_SECOND, "driftwatch_generation_tokens_per_second", exponential(1, 2, 12)));

  private final PrometheusRegistry registry;
  private final BoundedLabel models;
  private final BoundedLabel runs;
  private final BoundedLabel closeReasons = new BoundedLabel(20);
  private final BoundedLabel deadLetterReasons = new BoundedLabel(50);
  private final BoundedLabel rules = new BoundedLabel(50);
  /** The guard's paths and actions: a handful of documented values, capped since producers write them. */
  private final BoundedLabel guardWords = new BoundedLabel(10);

  private final Counter events;
  private final Counter tokens;
  private final Counter generationsStarted;
  private final Counter generationsClosed;
  private final Counter guardStops;
  private final Counter baselineMeasured;
  private final Counter baselineExceedances;
  private final BoundedLabel baselineScores = new BoundedLabel(20);
  private final Counter guardTokensAfter;
  private final Counter guardMaxTokensLeft;
  private final Counter generationFlags;
  private final Counter deadLetters;
  private final Counter scoreRecords;
  private final Counter sentences;
  private final Counter alerts;
  /**
   * Open generations by task: each task's idle check counts its own, and the gauge reports their sum,
   * so that it is this instance's count however many tasks it runs.
   */
  private final Map<String, Long> activeByTask = new java.util.concurrent.ConcurrentHashMap<>();
  /** Each task's baselines by model, as last learned or read back (each task learns its own: docs/scores.md). */
  private final Map<String, Map<String, BaselineStatus>> baselinesByTask = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Histogram> scoreHistograms = new LinkedHashMap<>();
  private final Histogram scoreLatency;
  private final Histogram embeddingBatchTexts;
  private final Histogram embeddingBatchSeconds;
  private final Counter embeddingFailures;
  private final Counter semanticDecisions;
  /** Each task's load shedding as last measured: whether it sheds, and its backlog in seconds of model work. */
  private final Map<String, double[]> sheddingByTask = new java.util.concurrent.ConcurrentHashMap<>();
  private final Counter spans;
  private final Counter outputsReplaced;
  private final Counter liveStatesEvicted;
  private final RadiusProbeMetrics probe;

  public DriftwatchMetrics(PrometheusRegistry registry, int modelCap) {
    this(registry, modelCap, DEFAULT_RUN_CAP);
  }

  public DriftwatchMetrics(PrometheusRegistry registry, int modelCap, int runCap) {
    this.registry = registry;
    this.models = new BoundedLabel(modelCap);
    this.runs = new BoundedLabel(runCap);
    events = Counter.builder().name("driftwatch_events_total")
        .help("Token-stream events decoded and valid, by event type").labelNames("type").register(registry);
    tokens = Counter.builder().name("driftwatch_tokens_total")
        .help("Tokens scored (chunks count as their tokens; duplicates excluded), by model and run")
        .labelNames("model", "run").register(registry);
    generationsStarted = Counter.builder().name("driftwatch_generations_started_total")
        .help("Generations opened by a start event, by model and run").labelNames("model", "run").register(registry);
    generationsClosed = Counter.builder().name("driftwatch_generations_closed_total")
        .help("Generations closed, by model, run and reason (end:<finish_reason>, idle)")
        .labelNames("model", "run", "reason").register(registry);
    baselineMeasured = Counter.builder().name("driftwatch_baseline_measured_generations_total")
        .help("Closed generations whose maximum of a score was placed against their model's ready baseline, by model and score")
        .labelNames("model", "score").register(registry);
    baselineExceedances = Counter.builder().name("driftwatch_baseline_exceedances_total")
        .help("Of those, generations whose maximum reached the baseline's 95th percentile (5% of them while the model's "
            + "generations look like its baseline), by model and score")
        .labelNames("model", "score").register(registry);
    guardStops = Counter.builder().name("driftwatch_guard_stops_total")
        .help("Generations a guarding tap stopped, or recorded in a dry run, read from the guard object of their end events: by "
            + "model, rule, decision path (in_process, kafka) and action (stopped, dry_run, ended_first)")
        .labelNames("model", "rule", "path", "action").register(registry);
    guardTokensAfter = Counter.builder().name("driftwatch_guard_tokens_after_total")
        .help("Tokens clients received after the tripping token of guarded generations: until the cancel (stopped), until the "
            + "real end (dry_run: what stops would have saved); by model, rule and action")
        .labelNames("model", "rule", "action").register(registry);
    guardMaxTokensLeft = Counter.builder().name("driftwatch_guard_max_tokens_left_total")
        .help("Of stopped generations whose request set max_tokens: the tokens the model could still have generated, the most "
            + "the stops saved; by model and rule")
        .labelNames("model", "rule").register(registry);
    sentences = Counter.builder().name("driftwatch_sentences_total")
        .help("Sentences scored (one score record each), by model and run").labelNames("model", "run").register(registry);
    generationFlags = Counter.builder().name("driftwatch_generation_flags_total")
        .help("Closed generations whose input was irregular, by flag (implicit_start, late_start, seq_gap)")
        .labelNames("flag").register(registry);
    deadLetters = Counter.builder().name("driftwatch_dead_letters_total")
        .help("Input records sent to the dead-letter topic, by the rule they broke").labelNames("reason").register(registry);
    scoreRecords = Counter.builder().name("driftwatch_score_records_total")
        .help("Records written to the scores topic, by kind (sentence or summary)").labelNames("kind").register(registry);
    alerts = Counter.builder().name("driftwatch_alerts_total")
        .help("Alert events written to the alerts topic, by model, rule and state (firing or resolved)")
        .labelNames("model", "rule", "state").register(registry);
    GaugeWithCallback.builder().name("driftwatch_active_generations")
        .help("Open generations held in this instance's state stores (the sum over its tasks)")
        .callback(callback -> callback.call(activeGenerationsNow())).register(registry);
    GaugeWithCallback.builder().name("driftwatch_baseline_generations")
        .help("Generations a model's baseline learned from, by model and scoring task (file: the generations it was made from)")
        .labelNames("model", "task")
        .callback(callback -> eachBaseline((task, b) -> callback.call(b.generations(), b.model(), task))).register(registry);
    GaugeWithCallback.builder().name("driftwatch_baseline_ready")
        .help("1 when a model's baseline is ready and its records carry percentiles, 0 while it warms up, by model and scoring task")
        .labelNames("model", "task")
        .callback(callback -> eachBaseline((task, b) -> callback.call(b.ready() ? 1 : 0, b.model(), task))).register(registry);
    GaugeWithCallback.builder().name("driftwatch_baseline_quantile")
        .help("A ready baseline's value of a score's generation maximum at a percentile (50, 90, 99, 99.5), by model, scoring task and score")
        .labelNames("model", "task", "score", "percentile")
        .callback(callback -> eachBaseline((task, b) -> b.quantiles().forEach((score, values) ->
            values.forEach((percentile, value) -> callback.call(value, b.model(), task, score, percentile)))))
        .register(registry);
    for (ScoreHistogram h : SCORE_HISTOGRAMS) {
      scoreHistograms.put(h.score().wireName(), h.buckets().apply(Histogram.builder().name(h.metric()).help(h.help())
          .labelNames("model")).register(registry));
    }
    scoreLatency = Histogram.builder().name("driftwatch_score_latency_seconds")
        .help("Time from the event time of a score record's last token to the record's emission")
        .unit(Unit.SECONDS).classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(registry);
    embeddingBatchTexts = Histogram.builder().name("driftwatch_embedding_batch_texts")
        .help("Sentences (and prompts) embedded together in one batch of the semantic scorer")
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
    embeddingBatchSeconds = Histogram.builder().name("driftwatch_embedding_batch_seconds")
        .help("Time to embed and score one batch of sentences").unit(Unit.SECONDS)
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5).register(registry);
    spans = Counter.builder().name("driftwatch_spans_total")
        .help("Spans of generated text found verbatim in the reference corpus (attribution), by model").labelNames("model").register(registry);
    outputsReplaced = Counter.builder().name("driftwatch_output_records_replaced_total")
        .help("Output records too large for their topic, written in a smaller form or as a record.too_large marker, by topic")
        .labelNames("topic").register(registry);
    liveStatesEvicted = Counter.builder().name("driftwatch_live_states_evicted_total")
        .help("Open generations' states pushed out of the heap for its budget (--live-state-heap) before their generation ended;"
            + " each costs an encode now and a decode at the generation's next event. Rising steadily: the budget is too small"
            + " for the open generations")
        .register(registry);
    embeddingFailures = Counter.builder().name("driftwatch_embedding_failures_total")
        .help("Batches the embedding model failed on; their sentences were scored without semantic scores").register(registry);
    semanticDecisions = Counter.builder().name("driftwatch_semantic_generations_total")
        .help("Generations started with semantic scoring on, by load-shedding decision: scored, or shed (scored without "
            + "semantic scores, flagged semantic_shed, because the model could not keep up)")
        .labelNames("decision").register(registry);
    GaugeWithCallback.builder().name("driftwatch_semantic_shedding")
        .help("1 while a scoring task sheds semantic scoring of new generations, 0 otherwise, by task")
        .labelNames("task")
        .callback(callback -> sheddingByTask.forEach((task, s) -> callback.call(s[0], task))).register(registry);
    GaugeWithCallback.builder().name("driftwatch_embedding_backlog_seconds")
        .help("Sentences waiting for the embedding model, in seconds of its measured rate (0 before it is measured; "
            + "+Inf while it drains nothing), by task")
        .labelNames("task")
        .callback(callback -> sheddingByTask.forEach((task, s) -> callback.call(s[1], task))).register(registry);
    probe = new RadiusProbeMetrics(registry, models);
  }

  /** The live radius probe's metrics (registered whether or not it runs, so the documentation lists them). */
  public RadiusProbeMetrics probe() {
    return probe;
  }

  public void span(SpanRecord span) {
    spans.labelValues(models.of(span.model())).inc();
  }

  public void embeddingBatch(int texts, double seconds) {
    embeddingBatchTexts.observe(texts);
    embeddingBatchSeconds.observe(seconds);
  }

  /** What the semantic scorer's batches did so far: the pipeline benchmark reads it to explain its figure. */
  public record EmbeddingTotals(long batches, long texts, double seconds) {}

  public EmbeddingTotals embeddingTotals() {
    var texts = embeddingBatchTexts.collect().getDataPoints().get(0);
    var seconds = embeddingBatchSeconds.collect().getDataPoints().get(0);
    return new EmbeddingTotals(texts.getCount(), Math.round(texts.getSum()), seconds.getSum());
  }

  /** An output record replaced because it was too large for its topic (topics are few: no bound needed). */
  public void outputReplaced(String topic) {
    outputsReplaced.labelValues(topic).inc();
  }

  public void liveStatesEvicted(long count) {
    liveStatesEvicted.inc(count);
  }

  public long liveStatesEvictedTotal() {
    return (long) liveStatesEvicted.get();
  }

  public long outputsReplacedTotal() {
    return sum(outputsReplaced);
  }

  public void embeddingFailure() {
    embeddingFailures.inc();
  }

  /** A generation started with semantic scoring on was scored, or shed. */
  public void semanticDecision(boolean shed) {
    semanticDecisions.labelValues(shed ? "shed" : "scored").inc();
  }

  /** A task's load shedding as just measured. */
  public void shedding(String task, boolean shedding, double backlogSeconds) {
    sheddingByTask.put(task, new double[] {shedding ? 1 : 0, backlogSeconds});
  }

  /** The largest embedding backlog of this instance's tasks as last measured, in seconds of model work. */
  public double embeddingBacklogSeconds() {
    return sheddingByTask.values().stream().mapToDouble(s -> s[1]).max().orElse(0);
  }

  /** Scoring tasks of this instance shedding now. */
  public long sheddingTasks() {
    return sheddingByTask.values().stream().filter(s -> s[0] > 0).count();
  }

  /** Generations shed so far (load shedding), for the pipeline benchmark. */
  public long semanticShedTotal() {
    return (long) semanticDecisions.labelValues("shed").get();
  }

  /** Generations started with semantic scoring on, shed or not. */
  public long semanticDecisionsTotal() {
    return sum(semanticDecisions);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void event(String type) {
    events.labelValues(type).inc();
  }

  public void tokens(String model, String run, int count) {
    tokens.labelValues(models.of(model), runs.of(run)).inc(count);
  }

  public void generationStarted(String model, String run) {
    generationsStarted.labelValues(models.of(model), runs.of(run)).inc();
  }

  public void deadLetter(String reason) {
    deadLetters.labelValues(deadLetterReasons.of(reason)).inc();
  }

  /** The open generations a task holds, as its latest idle check counted them. */
  public void activeGenerations(String task, long count) {
    activeByTask.put(task, count);
  }

  /** A task left this instance (closed, or moved to another instance): its generations and baselines are no longer here. */
  public void taskClosed(String task) {
    activeByTask.remove(task);
    baselinesByTask.remove(task);
    sheddingByTask.remove(task);
  }

  /**
   * A model's baseline as a task now has it. Only models within the model label's cap are exported: two
   * models counted as {@code other} would give one series two values.
   */
  public void baseline(String task, BaselineStatus status) {
    if (status == null || !models.of(status.model()).equals(status.model())) {
      return;
    }
    baselinesByTask.computeIfAbsent(task, t -> new java.util.concurrent.ConcurrentHashMap<>()).put(status.model(), status);
  }

  private void eachBaseline(java.util.function.BiConsumer<String, BaselineStatus> action) {
    baselinesByTask.forEach((task, byModel) -> byModel.values().forEach(b -> action.accept(task, b)));
  }

  /** Counts what a guarding tap decided for a generation, from its end event. */
  public void guard(String model, io.driftwatch.contract.GenerationEvent.Guard guard) {
    String m = models.of(model);
    String rule = rules.of(guard.rule());
    String action = guardWords.of(guard.action());
    guardStops.labelValues(m, rule, guardWords.of(guard.path()), action).inc();
    if (guard.tokensAfter() != null && guard.tokensAfter() >= 0) {
      guardTokensAfter.labelValues(m, rule, action).inc(guard.tokensAfter());
    }
    if (guard.maxTokensLeft() != null && guard.maxTokensLeft() >= 0) {
      guardMaxTokensLeft.labelValues(m, rule).inc(guard.maxTokensLeft());
    }
  }

  public void alert(AlertEvent alert) {
    alerts.labelValues(models.of(alert.model()), rules.of(alert.rule()), alert.state()).inc();
  }

  /** Counts a score record and observes its scores; {@code nowMillis} is the emission time. */
  public void scoreEmitted(ScoreRecord record, long nowMillis) {
    String model = models.of(record.model());
    String run = runs.of(record.runId());
    scoreRecords.labelValues(record.kind()).inc();
    if (ScoreRecord.SUMMARY.equals(record.kind())) {
      generationsClosed.labelValues(model, run, closeReasons.of(record.closeReason())).inc();
      record.flags().forEach(flag -> generationFlags.labelValues(flag).inc());
      baselinePlacements(model, record);
      return;
    }
    sentences.labelValues(model, run).inc();
    scoreHistograms.forEach((score, histogram) -> {
      Double value = record.scores().get(score);
      if (value != null) {
        histogram.labelValues(model).observe(value);
      }
    });
    if (record.eventTime() != null) {
      scoreLatency.observe(Math.max(0, (nowMillis - record.eventTime().toEpochMilli()) / 1000.0));
    }
  }

  /** Counts the summary's maxima placed against the model's baseline ({@code max_<score>_pct}) and their exceedances. */
  private void baselinePlacements(String model, ScoreRecord summary) {
    summary.scores().forEach((key, percentile) -> {
      if (key.startsWith(ModelBaseline.MAX_PREFIX) && key.endsWith(Baselines.PCT_SUFFIX) && percentile != null) {
        String score = baselineScores.of(key.substring(ModelBaseline.MAX_PREFIX.length(), key.length() - Baselines.PCT_SUFFIX.length()));
        baselineMeasured.labelValues(model, score).inc();
        if (percentile >= EXCEEDANCE_PERCENTILE) {
          baselineExceedances.labelValues(model, score).inc();
        }
      }
    });
  }

  /** For the live summary line of the demo. */
  public long tokensTotal() {
    return sum(tokens);
  }

  public long deadLettersTotal() {
    return sum(deadLetters);
  }

  public long generationsClosedTotal() {
    return sum(generationsClosed);
  }

  public long alertsFiredTotal() {
    return (long) alerts.collect().getDataPoints().stream()
        .filter(d -> d.getLabels().get("state").equals(AlertEvent.FIRING)).mapToDouble(d -> d.getValue()).sum();
  }

  public long activeGenerationsNow() {
    return activeByTask.values().stream().mapToLong(Long::longValue).sum();
  }

  private static long sum(Counter counter) {
    return (long) counter.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }

  /** {@code count} bounds from {@code start}, {@code width} apart (exact decimals, so 0.15 is 0.15). */
  private static UnaryOperator<Histogram.Builder> linear(double start, double width, int count) {
    return b -> b.classicLinearUpperBounds(start, width, count);
  }

  private static UnaryOperator<Histogram.Builder> exponential(double start, double factor, int count) {
    return b -> b.classicExponentialUpperBounds(start, factor, count);
  }
}
