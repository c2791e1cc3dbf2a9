package io.driftwatch.streams.metrics;

import io.driftwatch.contract.ScoreRecord;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * Driftwatch's own Prometheus metrics. Labels are bounded (see {@link BoundedLabel}); a generation id is
 * never a label: per-generation detail lives on the scores topic.
 */
public final class DriftwatchMetrics {

  /** Distinct model names kept as label values before the rest count as "other". */
  public static final int DEFAULT_MODEL_CAP = 50;

  private final PrometheusRegistry registry;
  private final BoundedLabel models;
  private final BoundedLabel closeReasons = new BoundedLabel(20);
  private final BoundedLabel deadLetterReasons = new BoundedLabel(50);

  private final Counter events;
  private final Counter tokens;
  private final Counter generationsStarted;
  private final Counter generationsClosed;
  private final Counter deadLetters;
  private final Counter duplicateTokens;
  private final Counter scoreRecords;
  private final Gauge activeGenerations;
  private final Histogram repetitionRate;
  private final Histogram tokensPerSecond;
  private final Histogram scoreLatency;

  public DriftwatchMetrics(PrometheusRegistry registry, int modelCap) {
    this.registry = registry;
    this.models = new BoundedLabel(modelCap);
    events = Counter.builder().name("driftwatch_events_total")
        .help("Token-stream events accepted, by event type").labelNames("type").register(registry);
    tokens = Counter.builder().name("driftwatch_tokens_total")
        .help("Tokens accepted (chunks count as their tokens), by model").labelNames("model").register(registry);
    generationsStarted = Counter.builder().name("driftwatch_generations_started_total")
        .help("Generations opened by a start event, by model").labelNames("model").register(registry);
    generationsClosed = Counter.builder().name("driftwatch_generations_closed_total")
        .help("Generations closed, by model and reason (end:<finish_reason> or idle)").labelNames("model", "reason").register(registry);
    deadLetters = Counter.builder().name("driftwatch_dead_letters_total")
        .help("Input records sent to the dead-letter topic, by the rule they broke").labelNames("reason").register(registry);
    duplicateTokens = Counter.builder().name("driftwatch_duplicate_tokens_total")
        .help("Tokens ignored because their seq had been seen already (redelivery)").register(registry);
    scoreRecords = Counter.builder().name("driftwatch_score_records_total")
        .help("Records written to the scores topic, by kind (window or summary)").labelNames("kind").register(registry);
    activeGenerations = Gauge.builder().name("driftwatch_active_generations")
        .help("Open generations held in this instance's state stores").register(registry);
    repetitionRate = Histogram.builder().name("driftwatch_repetition_rate")
        .help("Rolling repetition rate of emitted score records (share of repeated n-grams, 0 to 1), by model")
        .labelNames("model").classicLinearUpperBounds(0.05, 0.05, 20).register(registry);
    tokensPerSecond = Histogram.builder().name("driftwatch_generation_tokens_per_second")
        .help("Generation speed in tokens per second of event time, at each score record, by model")
        .labelNames("model").classicExponentialUpperBounds(1, 2, 12).register(registry);
    scoreLatency = Histogram.builder().name("driftwatch_score_latency_seconds")
        .help("Time from the event time of a record's last token to the emission of its score record")
        .unit(Unit.SECONDS).classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void event(String type) {
    events.labelValues(type).inc();
  }

  public void tokens(String model, int count) {
    tokens.labelValues(models.of(model)).inc(count);
  }

  public void generationStarted(String model) {
    generationsStarted.labelValues(models.of(model)).inc();
  }

  public void deadLetter(String reason) {
    deadLetters.labelValues(deadLetterReasons.of(reason)).inc();
  }

  public void duplicateTokens(long count) {
    if (count > 0) {
      duplicateTokens.inc(count);
    }
  }

  public void activeGenerations(long count) {
    activeGenerations.set(count);
  }

  public void scoreEmitted(ScoreRecord record) {
    String model = models.of(record.model());
    scoreRecords.labelValues(record.kind()).inc();
    Double repetition = record.scores().get("repetition_rate");
    if (repetition != null) {
      repetitionRate.labelValues(model).observe(repetition);
    }
    Double rate = record.scores().get("tokens_per_second");
    if (rate != null) {
      tokensPerSecond.labelValues(model).observe(rate);
    }
    if (record.eventTime() != null && record.processingTime() != null) {
      double seconds = Duration.between(record.eventTime(), record.processingTime()).toNanos() / 1e9;
      scoreLatency.observe(Math.max(0, seconds));
    }
    if (ScoreRecord.SUMMARY.equals(record.kind())) {
      generationsClosed.labelValues(model, closeReasons.of(record.closeReason())).inc();
    }
  }

  /** For the live summary line of the demo. */
  public long tokensTotal() {
    return (long) tokens.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }

  public long scoreRecordsTotal() {
    return (long) scoreRecords.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }

  public long deadLettersTotal() {
    return (long) deadLetters.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }

  public long generationsClosedTotal() {
    return (long) generationsClosed.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }

  public long activeGenerationsNow() {
    return (long) activeGenerations.get();
  }

}
