package io.driftwatch.streams.stats;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.stats.GenerationState;
import io.driftwatch.scoring.stats.GenerationStats;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds each generation's events to {@link GenerationStats}, keeping its state in a persistent,
 * changelogged key-value store keyed by generation id, and forwards the score records it emits.
 *
 * <p>A wall-clock punctuator closes generations that received nothing for {@code idleTimeout}, with a
 * summary whose close reason is {@code idle}, and reports how many generations are open.
 */
public final class GenerationStatsProcessor implements Processor<String, GenerationEvent, String, ScoreRecord> {

  private final String storeName;
  private final GenerationStats stats;
  private final Duration idleTimeout;
  private final Duration idleCheckInterval;
  private final DriftwatchMetrics metrics;
  private ProcessorContext<String, ScoreRecord> context;
  private KeyValueStore<String, OpenGeneration> store;

  public GenerationStatsProcessor(
      String storeName, GenerationStats stats, Duration idleTimeout, Duration idleCheckInterval, DriftwatchMetrics metrics) {
    this.storeName = storeName;
    this.stats = stats;
    this.idleTimeout = idleTimeout;
    this.idleCheckInterval = idleCheckInterval;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, ScoreRecord> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    context.schedule(idleCheckInterval, PunctuationType.WALL_CLOCK_TIME, this::closeIdleGenerations);
  }

  @Override
  public void process(Record<String, GenerationEvent> record) {
    String id = record.key();
    long now = context.currentSystemTimeMs();
    OpenGeneration open = store.get(id);
    GenerationState before = open == null ? null : open.stats();
    GenerationStats.Step step = stats.apply(before, record.value(), Instant.ofEpochMilli(now));

    if (record.value() instanceof GenerationEvent.Start start) {
      metrics.generationStarted(start.model());
    }
    countTokens(before, step.state());
    if (step.state() == null) {
      store.delete(id);
    } else {
      store.put(id, new OpenGeneration(step.state(), now));
    }
    for (ScoreRecord score : step.emitted()) {
      metrics.scoreEmitted(score);
      context.forward(new Record<>(id, score, record.timestamp()));
    }
  }

  private void countTokens(GenerationState before, GenerationState after) {
    if (after == null) {
      return;
    }
    long tokensBefore = before == null ? 0 : before.tokens();
    long duplicatesBefore = before == null ? 0 : before.duplicates();
    if (after.tokens() > tokensBefore) {
      metrics.tokens(after.model(), (int) (after.tokens() - tokensBefore));
    }
    metrics.duplicateTokens(after.duplicates() - duplicatesBefore);
  }

  private void closeIdleGenerations(long nowMillis) {
    long cutoff = nowMillis - idleTimeout.toMillis();
    List<KeyValue<String, OpenGeneration>> idle = new ArrayList<>();
    long open = 0;
    try (KeyValueIterator<String, OpenGeneration> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, OpenGeneration> entry = all.next();
        open++;
        if (entry.value.lastSeenMillis() <= cutoff) {
          idle.add(entry);
        }
      }
    }
    Instant now = Instant.ofEpochMilli(nowMillis);
    for (KeyValue<String, OpenGeneration> entry : idle) {
      ScoreRecord summary = stats.closeIdle(entry.value.stats(), now);
      store.delete(entry.key);
      metrics.scoreEmitted(summary);
      context.forward(new Record<>(entry.key, summary, nowMillis));
    }
    metrics.activeGenerations(open - idle.size());
  }
}
