package io.driftwatch.streams.scoring;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.SpanRecord;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.BaselineStore;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.engine.EmbeddingBatch;
import io.driftwatch.scoring.engine.GenerationState;
import io.driftwatch.scoring.engine.GenerationStore;
import io.driftwatch.scoring.engine.Output;
import io.driftwatch.scoring.engine.Rejection;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.streams.ingest.DeadLetters;
import io.driftwatch.streams.ingest.DecodedEvent;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.state.CommitHookStore;
import io.driftwatch.streams.state.HeapShare;
import io.driftwatch.streams.state.WriteBehind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds each generation's events to the {@link ScoringEngine}, keeping its state in a persistent,
 * changelogged key-value store keyed by generation id, and forwards what the engine emits: score
 * records, alert events, and dead letters for events it rejected.
 *
 * <p>Wall-clock punctuators close generations that went quiet (reason {@code idle}) and forget closed
 * generations after a retention time. The time of emission goes in the header
 * {@value #PROCESSING_TIME}; record values depend on the input only.
 *
 * <p>With {@link SemanticScoring#modelCalls()} set, model calls run off the stream thread: a batch
 * of waiting sentences is handed to that executor and the stream thread goes on with the next records,
 * the tokens of those very generations included (their sentences queue behind the ones in flight). The
 * results come back in the order the batches were sent, picked up in {@code process} and in the batch
 * timer's punctuator, which apply them inside the task's transaction like any event. Exactly-once holds
 * as with model calls on the stream thread: texts in flight are still waiting in the changelogged state
 * until their records are written, and results of a batch sent before the processor was closed or
 * re-initialised (a rebalance, a restart, an aborted transaction) are dropped, the texts queued again
 * from the store. At most {@value #MAX_BATCHES_IN_FLIGHT} batches per task are in flight; beyond that,
 * sentences keep waiting in the state store, not on the heap.
 *
 * <p>When the model falls behind, the task sheds load ({@link SemanticShedder}, docs/scores.md): a
 * generation that starts while the backlog is too large may be scored without semantic scores, whole,
 * flagged {@code semantic_shed}. The engine asks when it makes the generation's state
 * ({@code StoreView.shedsSemantic}) and keeps the answer there, so that replays and restarts agree.
 *
 * <p>Why one long class: the live states, the changes since each was last written, the embedding batch
 * and the idle index all describe the same generations of one task and must change together on every
 * path (an event, an idle close, a batch flush, a failed event rebuilt from the store, a commit). Kept
 * in one place, the invariants between them can be read and checked at once; the parts without that
 * coupling are already classes of their own ({@link WriteBehind}, {@link EmbeddingBatch}, {@link IdleIndex}).
 */
public final class GenerationScoringProcessor implements Processor<String, DecodedEvent, String, Object> {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GenerationScoringProcessor.class);

  public static final String PROCESSING_TIME = "driftwatch.processing_time";

  /**
   * Most batches of one task in the model's queue at once: one running and one ready to start when it
   * ends, so that the model never idles between calls while the stream thread is busy.
   */
  static final int MAX_BATCHES_IN_FLIGHT = 2;

  /** Ordinary live states a task keeps at least, however many tasks share the heap for them. */
  static final int MIN_LIVE_STATES = 1024;

  private final ScoringEngine engine;
  /** How an event reaches the engine: {@code engine::process}, or with a fault in front of it in tests. */
  private final EventScoring scoring;
  private final StoreNames stores;
  private final Children children;
  private final Timing timing;
  private final DriftwatchMetrics metrics;
  private final SemanticScoring semantic;
  private EmbeddingBatch batch;
  /**
   * Batches sent to {@link SemanticScoring#modelCalls()} and not yet applied, oldest first; empty when
   * model calls run on the stream thread. Applied strictly in this order (see {@link EmbeddingBatch}).
   */
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  /** This task's load-shedding policy, or null when semantic scoring is off or never sheds. Made anew at every (re)init. */
  private SemanticShedder shedder;
  /**
   * Shedding decisions made for generations whose state has not been written since: a rebuild replays
   * their first event and must get the same answer, though the policy may have changed its mind since.
   */
  private final Map<String, Boolean> unwrittenDecisions = new HashMap<>();
  /** When the oldest sentence now waiting for its embedding joined the batch (wall clock), or -1 for none. */
  private long waitingSinceMillis = -1;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, OpenGeneration> open;
  /**
   * The live states of the generations this task holds, written to the store once per commit instead
   * of encoded at every token (see {@link WriteBehind}; measured in docs/benchmarks.md). Emptied
   * whenever the processor is (re)initialised, after a restore or an aborted transaction. Bounded by
   * this task's share of {@link #liveStates} (least recently used out, written if pending) so that heap
   * does not grow with the number of open generations (docs/memory.md measures what one live state
   * costs, and its ceiling for hostile input).
   */
  private WriteBehind<String, OpenGeneration> states;
  /** The heap this instance's tasks keep live states in; this task's share of it bounds {@link #states}. */
  private final HeapShare liveStates;
  /** {@link WriteBehind#evictions()} when last reported to the metrics. */
  private long evictionsReported;
  /**
   * What changed each live state since it was last written to the store: the events and idle closes,
   * in order, with their wall-clock times. A state the engine may have left half changed (it threw) is
   * rebuilt from the store and these, so that a failure never rolls a generation back past events it
   * already emitted records for. Emptied whenever the state is written (at each commit, on eviction,
   * after an embedding flush), so it holds a commit interval's events at most.
   */
  private final Map<String, List<Change>> sinceWritten = new HashMap<>();
  private KeyValueStore<String, Long> closed;
  private long lastPurgeMillis;
  /** When each open generation was last seen: what the idle check reads, instead of every stored state. */
  private IdleIndex lastSeen;
  private final BaselineSettings baselineSettings;
  /**
   * This task's baselines over its baseline store, or null without one. Made anew at every (re)init, so
   * that what it keeps decoded is always what the store holds (after a restore or an abort too).
   */
  private Baselines baselines;
  /** When this task was last (re)initialised, on the wall clock. */
  private long restoredAtMillis;

  /** The engine's entries: one event, and a close for idleness (tests put failures in either). */
  interface EventScoring {
    Output process(GenerationEvent event, GenerationStore store);

    default Output closeIdle(ScoringEngine engine, String generationId, GenerationStore store) {
      return engine.closeIdle(generationId, store, ScoringEngine.IDLE);
    }
  }

  /** A batch handed to the model's executor: what it asked for, and the answer when it comes. */
  private record InFlight(EmbeddingBatch.Request request, CompletableFuture<EmbeddingBatch.Encoded> result) {}

  /** One change to a generation's state: an event, or (event null) a close for idleness. */
  private record Change(GenerationEvent event, long nowMillis) {}

  /**
   * The processor's stores: open generations, ids of closed ones, and the models' baselines (null for
   * none: records carry no percentiles).
   */
  public record StoreNames(String open, String closed, String baselines) {
    public StoreNames(String open, String closed) {
      this(open, closed, null);
    }
  }

  /** Names of the sinks that receive each kind of output. */
  public record Children(String scores, String alerts, String spans, String deadLetters) {}

  /**
   * @param idleTimeout a generation with no event for this long is closed
   * @param idleCheckInterval how often to look for idle generations
   * @param closedRetention how long a closed generation's id is remembered to reject late events
   */
  public record Timing(Duration idleTimeout, Duration idleCheckInterval, Duration closedRetention) {}

  /**
   * @param semantic the sentence encoder and batch bounds when the engine computes semantic scores (null
   *     for an engine without them)
   * @param baseline where each model's baseline comes from; used when {@code stores} names a baseline store
   * @param liveStates the heap for live states that this task shares with the instance's other scoring tasks
   */
  public GenerationScoringProcessor(ScoringEngine engine, StoreNames stores, Children children, Timing timing,
      DriftwatchMetrics metrics, SemanticScoring semantic, BaselineSettings baseline, HeapShare liveStates) {
    this(engine, engine::process, stores, children, timing, metrics, semantic, baseline, liveStates);
  }

  GenerationScoringProcessor(ScoringEngine engine, EventScoring scoring, StoreNames stores, Children children, Timing timing,
      DriftwatchMetrics metrics, SemanticScoring semantic, BaselineSettings baseline, HeapShare liveStates) {
    this.liveStates = liveStates;
    this.baselineSettings = baseline;
    this.scoring = scoring;
    if (engine.semantic() != (semantic != null)) {
      throw new IllegalArgumentException("a semantic engine needs a sentence encoder, and only it");
    }
    this.semantic = semantic;
    this.engine = engine;
    this.stores = stores;
    this.children = children;
    this.timing = timing;
    this.metrics = metrics;
  }

  /**
   * The heap the scoring tasks of one instance keep live states in: {@code heapPercent} of the maximum
   * heap, and at least {@value #MIN_LIVE_STATES} ordinary states a task.
   */
  public static HeapShare liveStateShare(int heapPercent) {
    return HeapShare.ofHeapPercent(heapPercent, MIN_LIVE_STATES * OpenGeneration.ORDINARY_HEAP_BYTES);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.open = context.getStateStore(stores.open());
    liveStates.join(this);
    this.evictionsReported = 0;
    this.states = new WriteBehind<>(liveStates::taskShare, OpenGeneration::heapEstimate, (id, state) -> {
      open.put(id, state);
      sinceWritten.remove(id);
      unwrittenDecisions.remove(id);
    });
    sinceWritten.clear();
    unwrittenDecisions.clear();
    CommitHookStore.of(open).beforeCommit(states::writePending);
    this.closed = context.getStateStore(stores.closed());
    initBaselines();
    this.lastPurgeMillis = context.currentSystemTimeMs();
    // The one full read of the store: at start, after a restore or an abort, when the index is rebuilt.
    this.lastSeen = new IdleIndex(Math.max(1, timing.idleCheckInterval().toMillis()));
    // A restored generation's idle timeout starts again, whole, now: after an outage (or a failover)
    // longer than the timeout, its next events still wait in the backlog, and closing it at the first
    // check would dead-letter them as arriving after its end.
    this.restoredAtMillis = context.currentSystemTimeMs();
    try (KeyValueIterator<String, OpenGeneration> all = open.all()) {
      while (all.hasNext()) {
        KeyValue<String, OpenGeneration> entry = all.next();
        lastSeen.touch(entry.key, idleSince(entry.value));
      }
    }
    context.schedule(timing.idleCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    if (semantic != null) {
      // Results of batches sent before a restore or an abort would apply to states that no longer exist.
      inFlight.clear();
      batch = new EmbeddingBatch(engine, semantic.encoder(), semantic.maxBatch());
      shedder = semantic.shedding() == null ? null : new SemanticShedder(semantic.shedding());
      // Sentences that were waiting when this task last stopped are in the store; queue them again.
      StoreView view = new StoreView(context.currentSystemTimeMs());
      try (KeyValueIterator<String, OpenGeneration> all = open.all()) {
        while (all.hasNext()) {
          String id = all.next().key;
          batch.waiting(id, engine.pendingTexts(id, view).size());
        }
      }
      waitingSinceMillis = batch.isEmpty() ? -1 : context.currentSystemTimeMs();
      // A batch goes when full, or when its oldest sentence has waited maxDelay: not at every tick, which
      // under load would send small batches right after each model call (measured: docs/benchmarks.md).
      long tick = Math.max(1, semantic.maxDelay().toMillis() / 4);
      context.schedule(Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::flushEmbeddingsIfDue);
    }
  }

  private void initBaselines() {
    if (stores.baselines() == null) {
      baselines = null;
      return;
    }
    KeyValueStore<String, byte[]> store = context.getStateStore(stores.baselines());
    baselines = new Baselines(baselineSettings, new BaselineStore() {
      @Override
      public byte[] get(String model) {
        return store.get(model);
      }

      @Override
      public void put(String model, byte[] baseline) {
        store.put(model, baseline);
      }

      @Override
      public long count() {
        // Exact, not RocksDB's estimate: the cap must fall at the same generation offline and here.
        long count = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
          for (; all.hasNext(); all.next()) {
            count++;
          }
        }
        return count;
      }
    });
    // What was learned before a restart or restored from the changelog is exported at once.
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        metrics.baseline(context.taskId().toString(), baselines.status(all.next().key));
      }
    }
  }

  @Override
  public void process(Record<String, DecodedEvent> record) {
    DecodedEvent decoded = record.value();
    long now = context.currentSystemTimeMs();
    if (!inFlight.isEmpty()) {
      applyArrivedEmbeddings(now);
    }
    Output out;
    try {
      out = scoring.process(decoded.event(), new StoreView(now));
    } catch (RuntimeException e) {
      // A bug must not stop the monitor or make it retry the same record forever: the record is kept
      // on the dead-letter topic, and the generation's state, which the failure may have left half
      // changed, is rebuilt as it was just before this event; the generation goes on.
      rebuild(decoded.event().generationId());
      log.error("scoring failed for generation {}; the record goes to the dead-letter topic", record.key(), e);
      metrics.deadLetter("engine.error");
      context.forward(DeadLetters.of(context, decoded.key(), decoded.value(), record.timestamp(), "engine.error",
          e.getClass().getSimpleName() + ": " + e.getMessage()), children.deadLetters());
      return;
    }
    changed(decoded.event().generationId(), new Change(decoded.event(), now));
    if (decoded.event() instanceof GenerationEvent.Start && out.rejections().isEmpty()) {
      metrics.generationStarted(out.model(), out.runId());
    }
    if (out.tokensAccepted() > 0) {
      metrics.tokens(out.model(), out.runId(), out.tokensAccepted());
    }
    if (decoded.event() instanceof GenerationEvent.End end && end.guard() != null && out.rejections().isEmpty()
        && end.guard().rule() != null && end.guard().path() != null && end.guard().action() != null) {
      metrics.guard(out.model(), end.guard());
    }
    emit(out, record.key(), record.timestamp(), now);
    for (Rejection rejection : out.rejections()) {
      metrics.deadLetter(rejection.reason());
      context.forward(DeadLetters.of(context, decoded.key(), decoded.value(), record.timestamp(), rejection.reason(),
          rejection.message()), children.deadLetters());
    }
    if (batch != null) {
      if (shedder != null) {
        shedder.arrived(out.sentencesEnded());
      }
      batch.waiting(decoded.event().generationId(), out.pending());
      noteWaiting(now);
      if (batch.full()) {
        flushEmbeddings(now);
      }
    }
    reportEvictions();
  }

  /** Counts the live states pushed out for the budget since the last report (at a commit, or at an event). */
  private void reportEvictions() {
    long evictions = states.evictions();
    if (evictions != evictionsReported) {
      metrics.liveStatesEvicted(evictions - evictionsReported);
      evictionsReported = evictions;
    }
  }

  /**
   * The batch's timer: applies the embeddings that arrived, and sends the batch once its oldest
   * sentence has waited maxDelay.
   */
  private void flushEmbeddingsIfDue(long nowMillis) {
    applyArrivedEmbeddings(nowMillis);
    if (shedder != null && shedder.update(nowMillis, batch.texts() + batch.textsInFlight())) {
      metrics.shedding(context.taskId().toString(), shedder.shedding(), shedder.backlogSeconds());
    }
    if (waitingSinceMillis >= 0 && nowMillis - waitingSinceMillis >= semantic.maxDelay().toMillis()) {
      flushEmbeddings(nowMillis);
    }
  }

  /**
   * Applies the batches whose embeddings have arrived, oldest first, stopping at the first still
   * running (a generation's texts must be completed in order), and emits what they complete.
   */
  private void applyArrivedEmbeddings(long nowMillis) {
    boolean applied = false;
    while (!inFlight.isEmpty() && inFlight.peekFirst().result().isDone()) {
      InFlight done = inFlight.pollFirst();
      EmbeddingBatch.Encoded encoded = done.result().join();
      completed(batch.apply(done.request(), encoded, new StoreView(nowMillis)), encoded.nanos(), nowMillis);
      applied = true;
    }
    if (applied && batch.full()) {
      flushEmbeddings(nowMillis);
    }
  }

  private void noteWaiting(long nowMillis) {
    if (waitingSinceMillis < 0 && !batch.isEmpty()) {
      waitingSinceMillis = nowMillis;
    }
  }

  /**
   * Sends this task's waiting sentences (up to a batch) to the model. On the stream thread, embeds them
   * in one call and emits the records they complete, inside the task's transaction like process(), so
   * exactly-once holds: the waiting sentences are part of the stored state until this writes their
   * records. Off it, hands them to the model's executor, unless {@value #MAX_BATCHES_IN_FLIGHT} batches
   * are in flight already; their records go out when the result is applied.
   */
  private void flushEmbeddings(long nowMillis) {
    if (batch.isEmpty()) {
      waitingSinceMillis = -1;
      return;
    }
    if (semantic.onStreamThread()) {
      long started = System.nanoTime();
      EmbeddingBatch.Flush flush = batch.flush(new StoreView(nowMillis));
      // What is left (a flush takes whole generations up to maxBatch) has waited at least as long: it
      // keeps the old time and goes at the next due tick.
      if (batch.isEmpty()) {
        waitingSinceMillis = -1;
      }
      completed(flush, System.nanoTime() - started, nowMillis);
      return;
    }
    if (inFlight.size() >= MAX_BATCHES_IN_FLIGHT) {
      return; // sent when a result is applied, or at the next due tick
    }
    EmbeddingBatch.Request request = batch.take(new StoreView(nowMillis));
    if (batch.isEmpty()) {
      waitingSinceMillis = -1;
    }
    EmbeddingBatch current = batch;
    CompletableFuture<EmbeddingBatch.Encoded> result;
    try {
      result = CompletableFuture.supplyAsync(() -> current.encode(request), semantic.modelCalls());
    } catch (RejectedExecutionException e) {
      // The executor is shut down (the monitor is closing): embedded here rather than lost.
      result = CompletableFuture.completedFuture(current.encode(request));
    }
    inFlight.addLast(new InFlight(request, result));
  }

  /** Logs, counts and emits what a flush completed. */
  private void completed(EmbeddingBatch.Flush flush, long modelNanos, long nowMillis) {
    metrics.embeddingBatch(flush.texts(), modelNanos / 1e9);
    if (shedder != null) {
      shedder.drained(flush.texts());
    }
    if (flush.failure() != null) {
      log.error("semantic scoring failed on a batch of {} sentences (generations completed without embeddings: {}); "
          + "those sentences are scored without semantic scores", flush.texts(),
          flush.failedGenerations().isEmpty() ? "all of the batch" : flush.failedGenerations(), flush.failure());
      metrics.embeddingFailure();
    }
    for (Output out : flush.outputs()) {
      // Written now, so that a later rebuild starts after these completions rather than repeat them.
      states.write(out.generationId());
      emit(out, out.generationId(), nowMillis, nowMillis);
    }
  }

  private void changed(String id, Change change) {
    if (states.get(id) != null) {
      sinceWritten.computeIfAbsent(id, k -> new ArrayList<>()).add(change);
    }
  }

  /**
   * Rebuilds a generation's live state from the store and the changes since it was written, their
   * outputs dropped (they were emitted when the changes first happened). Should the rebuild itself
   * fail, the generation is left at its stored state: some changes are lost, but the monitor goes on.
   */
  private void rebuild(String id) {
    states.discard(id);
    OpenGeneration stored = open.get(id);
    if (stored == null) {
      lastSeen.remove(id);
    } else {
      lastSeen.touch(id, idleSince(stored));
    }
    List<Change> changes = sinceWritten.remove(id);
    if (changes == null) {
      return;
    }
    try {
      for (Change change : changes) {
        StoreView at = new StoreView(change.nowMillis());
        if (change.event() == null) {
          engine.closeIdle(id, at, ScoringEngine.IDLE);
        } else {
          engine.process(change.event(), at);
        }
      }
      sinceWritten.put(id, changes);
    } catch (RuntimeException e) {
      states.discard(id);
      if (stored == null) {
        lastSeen.remove(id);
      } else {
        lastSeen.touch(id, idleSince(stored));
      }
      log.error("could not rebuild the state of generation {} after a failure; it goes on from its last written state", id, e);
    }
  }

  /**
   * A close the engine throws on (a bug) would throw again at every idle check and, uncaught, stop the
   * stream thread at each restart: the generation is dropped without its summary, its id remembered as
   * closed (so later events go to the dead-letter topic), and the monitor goes on.
   */
  private void abandon(String id, StoreView stores, RuntimeException e) {
    log.error("closing idle generation {} failed; it is dropped without a summary", id, e);
    stores.delete(id);
    stores.markClosed(id, null);
  }

  /** When a stored generation's idle timeout starts: its last event, or this task's (re)start if later. */
  private long idleSince(OpenGeneration stored) {
    return Math.max(stored.lastSeenMillis(), restoredAtMillis);
  }

  private void emit(Output out, String key, long timestamp, long now) {
    for (ScoreRecord score : out.scores()) {
      metrics.scoreEmitted(score, now);
      if (baselines != null && ScoreRecord.SUMMARY.equals(score.kind()) && score.model() != null) {
        // The summary may have taught its model's baseline one more generation.
        metrics.baseline(context.taskId().toString(), baselines.status(score.model()));
      }
      context.forward(new Record<String, Object>(key, score, timestamp, processingTime(now)), children.scores());
    }
    for (AlertEvent alert : out.alerts()) {
      metrics.alert(alert);
      context.forward(new Record<String, Object>(key, alert, timestamp, processingTime(now)), children.alerts());
    }
    for (SpanRecord span : out.spans()) {
      metrics.span(span);
      context.forward(new Record<String, Object>(key, span, timestamp, processingTime(now)), children.spans());
    }
  }

  private void punctuate(long nowMillis) {
    reportEvictions();
    long cutoff = nowMillis - timing.idleTimeout().toMillis();
    List<String> idle = lastSeen.idleSince(cutoff);
    long count = lastSeen.size();
    StoreView stores = new StoreView(nowMillis);
    for (String id : idle) {
      Output out;
      try {
        out = scoring.closeIdle(engine, id, stores);
      } catch (RuntimeException e) {
        abandon(id, stores, e);
        continue;
      }
      changed(id, new Change(null, nowMillis));
      emit(out, id, nowMillis, nowMillis);
      if (batch != null) {
        batch.waiting(id, out.pending());
        noteWaiting(nowMillis);
      }
    }
    if (batch != null && !idle.isEmpty()) {
      flushEmbeddings(nowMillis);
    }
    metrics.activeGenerations(context.taskId().toString(), count - idle.size());
    // Forgetting closed ids needs a scan of that store; once a minute is often enough.
    if (nowMillis - lastPurgeMillis >= Math.min(60_000, timing.closedRetention().toMillis())) {
      purgeClosed(nowMillis - timing.closedRetention().toMillis());
      lastPurgeMillis = nowMillis;
    }
  }

  @Override
  public void close() {
    // Batches still in flight are dropped: their texts wait in the committed state, and are queued again
    // by whichever instance opens this task next.
    inFlight.clear();
    liveStates.leave(this);
    // The task is closing or moving to another instance: its generations no longer count here.
    metrics.taskClosed(context.taskId().toString());
  }

  private void purgeClosed(long cutoff) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = closed.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        if (entry.value <= cutoff) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(closed::delete);
  }

  private static Headers processingTime(long nowMillis) {
    Headers headers = new RecordHeaders();
    headers.add(PROCESSING_TIME, Instant.ofEpochMilli(nowMillis).toString().getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /** The engine's view of this task's stores. */
  private final class StoreView implements GenerationStore {
    private final long nowMillis;

    StoreView(long nowMillis) {
      this.nowMillis = nowMillis;
    }

    @Override
    public GenerationState get(String generationId) {
      OpenGeneration entry = states.get(generationId);
      if (entry == null) {
        entry = open.get(generationId);
      }
      return entry == null ? null : entry.state();
    }

    @Override
    public void put(String generationId, GenerationState state) {
      states.put(generationId, new OpenGeneration(nowMillis, state));
      lastSeen.touch(generationId, nowMillis);
    }

    @Override
    public void delete(String generationId) {
      states.discard(generationId);
      sinceWritten.remove(generationId);
      unwrittenDecisions.remove(generationId);
      open.delete(generationId);
      lastSeen.remove(generationId);
    }

    /** The engine may have left the state half changed: rebuilt as it was before (see {@link #rebuild}). */
    @Override
    public void forget(String generationId) {
      rebuild(generationId);
    }

    @Override
    public Baselines baselines() {
      return baselines;
    }

    @Override
    public boolean shedsSemantic(String generationId) {
      if (shedder == null) {
        return false;
      }
      Boolean decided = unwrittenDecisions.get(generationId);
      if (decided != null) {
        return decided;
      }
      boolean shed = !shedder.admits(generationId);
      unwrittenDecisions.put(generationId, shed);
      metrics.semanticDecision(shed);
      return shed;
    }

    @Override
    public boolean isClosed(String generationId) {
      return closed.get(generationId) != null;
    }

    @Override
    public void markClosed(String generationId, Instant lastEventTime) {
      closed.put(generationId, nowMillis);
    }
  }
}
