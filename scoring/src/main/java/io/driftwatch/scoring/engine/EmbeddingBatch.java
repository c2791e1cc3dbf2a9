package io.driftwatch.scoring.engine;

import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the texts waiting for embeddings across the generations of one task (or one offline run)
 * and embeds them together: one model call for up to {@code maxTexts} texts instead of one per
 * sentence. The caller decides when to flush: when {@link #full()}, after a time limit, and before it
 * stops. Waiting texts live in the generations' state, not here, so a batch lost in a crash is rebuilt
 * from the state store ({@link #waiting}) and nothing is scored twice.
 *
 * <p>A flush has three steps, which a caller may run apart: {@link #take} picks the texts (on the
 * thread that owns the store), {@link #encode} runs the model (on any thread: it touches only the
 * request and the encoder), and {@link #apply} hands the embeddings to the engine (on the owner's
 * thread again). Between take and apply the texts are <em>in flight</em>: they stay the first waiting
 * texts of their generations (the engine only appends to that list, and only apply takes from its
 * front), while sentences completed meanwhile queue behind them. Requests must be applied in the order
 * they were taken, since the engine completes a generation's texts from the front.
 * {@link #flush} runs the three steps at once.
 */
public final class EmbeddingBatch {

  private final ScoringEngine engine;
  private final SentenceEncoder encoder;
  private final int maxTexts;
  /** Generations with texts waiting and not in flight, in the order they first had some, and how many. */
  private final Map<String, Integer> waiting = new LinkedHashMap<>();
  /** Generations with texts taken and not yet applied, and how many: always their first waiting texts. */
  private final Map<String, Integer> inFlight = new HashMap<>();
  private int texts;

  /**
   * What a flush did.
   *
   * @param failure the first failure of the model or of completing a generation, or null
   * @param failedGenerations generations whose completion failed and were completed without embeddings;
   *     a caller that caches state objects must drop them, as they may be half-updated
   */
  public record Flush(List<Output> outputs, int texts, int generations, RuntimeException failure, List<String> failedGenerations) {}

  /**
   * Texts taken for one model call: the generations, how many texts of each (their first ones after
   * those already in flight), and all the texts in that order.
   */
  public record Request(List<String> generationIds, List<Integer> counts, List<String> texts) {
    public Request {
      generationIds = List.copyOf(generationIds);
      counts = List.copyOf(counts);
      texts = List.copyOf(texts);
    }
  }

  /**
   * The model's answer to a request: a vector per text, or the model's failure (vectors null).
   *
   * @param nanos how long the model call took
   */
  public record Encoded(float[][] vectors, RuntimeException failure, long nanos) {}

  public EmbeddingBatch(ScoringEngine engine, SentenceEncoder encoder, int maxTexts) {
    if (maxTexts < 1) {
      throw new IllegalArgumentException("maxTexts must be positive, got " + maxTexts);
    }
    this.engine = engine;
    this.encoder = encoder;
    this.maxTexts = maxTexts;
  }

  /**
   * Records that a generation now has {@code pending} texts waiting (from {@link Output#pending()}),
   * counting those in flight. Zero says nothing (a rejected event reports none): only a take takes a
   * generation off the list.
   */
  public void waiting(String generationId, int pending) {
    int queued = pending - inFlight.getOrDefault(generationId, 0);
    if (queued > 0) {
      Integer before = waiting.put(generationId, queued);
      texts += queued - (before == null ? 0 : before);
    }
  }

  public boolean full() {
    return texts >= maxTexts;
  }

  /** Whether no text waits to be taken (texts in flight do not count). */
  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Texts waiting to be taken (texts in flight do not count). */
  public int texts() {
    return texts;
  }

  /** Texts taken and not yet applied. */
  public int textsInFlight() {
    int sum = 0;
    for (int n : inFlight.values()) {
      sum += n;
    }
    return sum;
  }

  /**
   * Embeds the waiting texts of the generations that joined first, whole generations at a time, until
   * at least {@code maxTexts} texts are done (or none wait), in one model call, and completes those
   * generations; the others stay queued for the next flush. A flush is thus bounded in time, which
   * matters inside a Kafka transaction. If the model fails, the sentences complete without semantic
   * scores (flagged), so that a broken model never stalls the monitor; if completing a generation fails
   * (a bug, or vectors of another size than the stored ones), that generation is completed without
   * semantic scores instead. Failures are returned for the caller to log and count.
   */
  public Flush flush(GenerationStore store) {
    if (waiting.isEmpty()) {
      return new Flush(List.of(), 0, 0, null, List.of());
    }
    Request request = take(store);
    return apply(request, encode(request), store);
  }

  /**
   * Takes the waiting texts of the generations that joined first, whole generations at a time, until
   * at least {@code maxTexts} texts (or all that wait); they are in flight until {@link #apply}.
   */
  public Request take(GenerationStore store) {
    List<String> ids = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    List<String> all = new ArrayList<>();
    var it = waiting.entrySet().iterator();
    while (it.hasNext() && (all.isEmpty() || all.size() < maxTexts)) {
      var entry = it.next();
      it.remove();
      texts -= entry.getValue();
      String id = entry.getKey();
      List<String> pending = engine.pendingTexts(id, store);
      int from = Math.min(inFlight.getOrDefault(id, 0), pending.size());
      List<String> taken = pending.subList(from, pending.size());
      if (taken.isEmpty()) {
        continue;
      }
      ids.add(id);
      counts.add(taken.size());
      all.addAll(taken);
      inFlight.merge(id, taken.size(), Integer::sum);
    }
    return new Request(ids, counts, all);
  }

  /** Runs the model on a request's texts. Safe on any thread, as long as the encoder is. */
  public Encoded encode(Request request) {
    long started = System.nanoTime();
    try {
      float[][] vectors = request.texts().isEmpty() ? new float[0][] : encoder.encode(request.texts());
      if (vectors.length != request.texts().size()) {
        throw new IllegalStateException("the encoder returned " + vectors.length + " embeddings for " + request.texts().size() + " texts");
      }
      return new Encoded(vectors, null, System.nanoTime() - started);
    } catch (RuntimeException e) {
      return new Encoded(null, e, System.nanoTime() - started);
    }
  }

  /**
   * Hands a request's embeddings to its generations and returns what they complete. A failed model
   * call completes the texts without semantic scores (flagged); so does a generation whose completion
   * fails. Requests must be applied in the order they were taken.
   */
  public Flush apply(Request request, Encoded encoded, GenerationStore store) {
    int total = request.texts().size();
    float[][] vectors = encoded.vectors() != null ? encoded.vectors() : new float[total][];
    RuntimeException failure = encoded.failure();
    List<Output> outputs = new ArrayList<>(request.generationIds().size());
    List<String> failed = new ArrayList<>(0);
    int from = 0;
    for (int g = 0; g < request.generationIds().size(); g++) {
      String id = request.generationIds().get(g);
      int n = request.counts().get(g);
      inFlight.computeIfPresent(id, (k, before) -> before > n ? before - n : null);
      float[][] slice = new float[n][];
      System.arraycopy(vectors, from, slice, 0, n);
      from += n;
      try {
        outputs.add(engine.completeEmbeddings(id, slice, store));
      } catch (RuntimeException e) {
        // The stored state is as before this attempt; complete that without embeddings.
        failed.add(id);
        store.forget(id);
        failure = failure != null ? failure : e;
        try {
          outputs.add(engine.completeEmbeddings(id, new float[n][], store));
        } catch (RuntimeException again) {
          // Not even that (a bug): the texts stay waiting in the state, and the caller goes on.
          store.forget(id);
          failure.addSuppressed(again);
        }
      }
    }
    return new Flush(outputs, total, request.generationIds().size(), failure, failed);
  }
}
