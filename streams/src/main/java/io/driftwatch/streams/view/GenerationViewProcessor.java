package io.driftwatch.streams.view;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.contract.SpanRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.streams.ingest.DecodedEvent;
import io.driftwatch.streams.state.CommitHookStore;
import io.driftwatch.streams.state.HeapShare;
import io.driftwatch.streams.state.WriteBehind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materialises what the web view shows into {@link ViewStores}: the generation's tokens as the decode
 * step passes them on, and its score records, alerts and spans as they appear on the output topics.
 * The view thus shows exactly what the topics say, and the scoring path knows nothing of it.
 *
 * <p>It runs in the scoring sub-topology, whose source topics all share the generation id as key, so
 * a generation's view lives in the task, and on the instance, that scores it; the web server finds it
 * with Kafka Streams' key metadata. Records on the output topics that are not what Driftwatch writes
 * (someone else's producer) are skipped and counted, never fatal.
 *
 * <p>A wall-clock punctuator drops closed generations after {@link ViewSettings#retention()} and
 * beyond {@link ViewSettings#maxClosedGenerations()}, so the stores stay bounded.
 */
public final class GenerationViewProcessor implements Processor<String, Object, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(GenerationViewProcessor.class);
  private static final Duration PURGE_INTERVAL = Duration.ofSeconds(10);

  private final Topics topics;
  private final ViewSettings settings;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, GenerationView> summaries;
  private KeyValueStore<String, byte[]> details;
  private long skippedRecords;
  /**
   * The live views and current token chunks of this task's generations, written to the stores once
   * per commit instead of encoded at every token (see {@link WriteBehind}; the view cost 40% of the
   * throughput when it encoded both at every token, docs/benchmarks.md). Interactive queries thus see
   * a generation as of the last commit (100 ms under exactly-once). Emptied on every
   * (re)initialisation; bounded by this task's share of {@link #heap}, half each, least recently
   * used out.
   */
  private WriteBehind<String, GenerationView> views;
  private WriteBehind<String, TokenChunk> chunks;
  /** The heap the view tasks of this instance keep live views and chunks in. */
  private final HeapShare heap;
  /** When this task was (re)started: wall-clock time, as the views' last-seen times. */
  private long startedMillis;

  /** Share of the maximum heap, in percent, that the view tasks of an instance keep views and chunks in. */
  public static final int HEAP_PERCENT = 10;
  /**
   * What a view task keeps at least: half of it holds the 1,024 views a task kept before the share, at
   * the estimate of a busy one (7.6 KB, {@code ViewHeapEstimateTest}).
   */
  static final long MIN_TASK_BYTES = 1024L * 16 * 1024;

  /** @param heap the heap for live views and chunks this task shares with the instance's other view tasks ({@link #heapShare}) */
  public GenerationViewProcessor(Topics topics, ViewSettings settings, HeapShare heap) {
    this.topics = topics;
    this.settings = settings;
    this.heap = heap;
  }

  /** The heap the view tasks of one instance share: {@value #HEAP_PERCENT}% of the maximum heap. */
  public static HeapShare heapShare() {
    return HeapShare.ofHeapPercent(HEAP_PERCENT, MIN_TASK_BYTES);
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.summaries = context.getStateStore(ViewStores.SUMMARIES);
    this.details = context.getStateStore(ViewStores.DETAILS);
    heap.join(this);
    this.views = new WriteBehind<>(() -> heap.taskShare() / 2, GenerationView::heapEstimate, summaries::put);
    this.chunks = new WriteBehind<>(() -> heap.taskShare() / 2, TokenChunk::heapEstimate,
        (key, chunk) -> details.put(key, EventCodec.toJson(chunk)));
    CommitHookStore.of(summaries).beforeCommit(views::writePending);
    CommitHookStore.of(details).beforeCommit(chunks::writePending);
    this.startedMillis = context.currentSystemTimeMs();
    context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
  }

  @Override
  public void close() {
    // The task is closing or moving: its share of the heap goes to the other view tasks.
    heap.leave(this);
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.key() == null) {
      return;
    }
    Object value = record.value();
    if (value instanceof DecodedEvent decoded) {
      onEvent(decoded.event());
    } else if (value instanceof byte[] bytes) {
      String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
      try {
        onOutput(record.key(), topic, bytes);
      } catch (IOException | RuntimeException e) {
        // Not a record Driftwatch wrote; the view is a convenience and must not stop the monitor.
        if (skippedRecords++ % 1000 == 0) {
          log.warn("web view: skipped a record on {} it cannot read ({} so far): {}", topic, skippedRecords, e.getMessage());
        }
      }
    }
  }

  private void onEvent(GenerationEvent event) {
    String id = event.generationId();
    if (event instanceof GenerationEvent.End && findView(id) == null) {
      // The scorer dead-letters an end for a generation it never saw; a view of it would show nothing
      // and stay for twice the retention (a flood of such ends would fill the store).
      return;
    }
    GenerationView view = viewOf(id);
    if (event instanceof GenerationEvent.Start start) {
      view.onStart(start);
    } else if (event instanceof GenerationEvent.Token token) {
      addToken(view, token);
    } else if (event instanceof GenerationEvent.Chunk chunk) {
      chunk.expand().forEach(token -> addToken(view, token));
    } else if (event instanceof GenerationEvent.End end) {
      view.onEnd(end);
    }
    save(view);
  }

  private void addToken(GenerationView view, GenerationEvent.Token token) {
    if (!view.onToken(token.seq(), token.eventTime()) || view.storedTokens() >= settings.maxTokens()) {
      return;
    }
    String key = ViewKeys.of(view.generationId(), ViewKeys.TOKENS, view.storedTokens() / TokenChunk.SIZE);
    TokenChunk chunk = view.storedTokens() % TokenChunk.SIZE == 0 ? TokenChunk.empty() : readChunk(key);
    chunks.put(key, chunk.plus(token.seq(), token.text(), token.logprob()));
    view.onTokenStored();
  }

  private TokenChunk readChunk(String key) {
    TokenChunk live = chunks.get(key);
    if (live != null) {
      return live;
    }
    byte[] bytes = details.get(key);
    if (bytes == null) {
      return TokenChunk.empty();
    }
    try {
      return EventCodec.fromJson(bytes, TokenChunk.class);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable token chunk " + key, e);
    }
  }

  private void onOutput(String id, String topic, byte[] bytes) throws IOException {
    if (topic.equals(topics.scores())) {
      ScoreRecord score = EventCodec.fromJson(bytes, ScoreRecord.class);
      GenerationView view = viewOf(id);
      keep(id, ViewKeys.SCORE, view.scoreRecords(), bytes);
      view.onScore(score);
      save(view);
    } else if (topic.equals(topics.alerts())) {
      AlertEvent alert = EventCodec.fromJson(bytes, AlertEvent.class);
      GenerationView view = viewOf(id);
      keep(id, ViewKeys.ALERT, view.alerts(), bytes);
      view.onAlert(alert);
      save(view);
    } else if (topic.equals(topics.spans())) {
      EventCodec.fromJson(bytes, SpanRecord.class); // read only to refuse what is not a span record; kept as it came
      GenerationView view = viewOf(id);
      keep(id, ViewKeys.SPAN, view.spans(), bytes);
      view.onSpan();
      save(view);
    }
  }

  /** Keeps a record as it appeared on its topic, up to the per-generation limit. */
  private void keep(String id, char kind, int index, byte[] json) {
    if (index < settings.maxRecords()) {
      details.put(ViewKeys.of(id, kind, index), json);
    }
  }

  private GenerationView viewOf(String id) {
    GenerationView view = findView(id);
    return view != null ? view : GenerationView.of(id);
  }

  /** The generation's view, live or stored; null when there is none. */
  private GenerationView findView(String id) {
    GenerationView view = views.get(id);
    return view != null ? view : summaries.get(id);
  }

  private void save(GenerationView view) {
    view.touched(context.currentSystemTimeMs());
    views.put(view.generationId(), view);
  }

  /**
   * Drops closed generations past retention, then the oldest closed ones beyond the limit; and open
   * ones silent for twice the retention, which only a generation whose scoring never closed it leaves.
   */
  private void purge(long now) {
    long retentionMillis = settings.retention().toMillis();
    // The scans below read the stores: bring them up to date first.
    views.writePending();
    chunks.writePending();
    List<GenerationView> closed = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, GenerationView> all = summaries.all()) {
      while (all.hasNext()) {
        GenerationView view = all.next().value;
        long silentFor = now - view.lastSeenMillis();
        // An open view counts its silence from this task's start at the earliest: during an outage its
        // generation's events waited in the backlog, and they are on their way.
        long openSilentFor = now - Math.max(view.lastSeenMillis(), startedMillis);
        if (view.closed() ? silentFor > retentionMillis : openSilentFor > 2 * retentionMillis) {
          expired.add(view.generationId());
        } else if (view.closed()) {
          closed.add(view);
        }
      }
    }
    if (closed.size() > settings.maxClosedGenerations()) {
      closed.sort(Comparator.comparingLong(GenerationView::lastSeenMillis));
      closed.subList(0, closed.size() - settings.maxClosedGenerations()).forEach(v -> expired.add(v.generationId()));
    }
    expired.forEach(this::forget);
  }

  private void forget(String id) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> entries = details.prefixScan(ViewKeys.prefix(id), new StringSerializer())) {
      entries.forEachRemaining((KeyValue<String, byte[]> e) -> keys.add(e.key));
    }
    for (String key : keys) {
      chunks.discard(key);
      details.delete(key);
    }
    views.discard(id);
    summaries.delete(id);
  }
}
