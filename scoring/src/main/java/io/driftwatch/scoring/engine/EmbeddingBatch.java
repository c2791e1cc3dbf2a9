package io.driftwatch.scoring.engine;

import io.driftwatch.scoring.semantic.SentenceEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the texts waiting for embeddings across the generations of one task (or one offline run)
 * and embeds them together: one model call for up to {@code maxTexts} texts instead of one per
 * sentence. The caller decides when to flush: when {@link #full()}, after a time limit, and before it
 * stops. Waiting texts live in the generations' state, not here, so a batch lost in a crash is rebuilt
 * from the state store ({@link #waiting}) and nothing is scored twice.
 */
public final class EmbeddingBatch {

  private final ScoringEngine engine;
  private final SentenceEncoder encoder;
  private final int maxTexts;
  /** Generations with waiting texts, in the order they first had some, and how many. */
  private final Map<String, Integer> waiting = new LinkedHashMap<>();
  private int texts;

  /**
   * What a flush did.
   *
   * @param failure the first failure of the model or of completing a generation, or null
   * @param failedGenerations generations whose completion failed and were completed without embeddings;
   *     a caller that caches state objects must drop them, as they may be half-updated
   */
  public record Flush(List<Output> outputs, int texts, int generations, RuntimeException failure, List<String> failedGenerations) {}

  public EmbeddingBatch(ScoringEngine engine, SentenceEncoder encoder, int maxTexts) {
    if (maxTexts < 1) {
      throw new IllegalArgumentException("maxTexts must be positive, got " + maxTexts);
    }
    this.engine = engine;
    this.encoder = encoder;
    this.maxTexts = maxTexts;
  }

  /**
   * Records that a generation now has {@code pending} texts waiting (from {@link Output#pending()}).
   * Zero says nothing (a rejected event reports none): only a flush takes a generation off the list.
   */
  public void waiting(String generationId, int pending) {
    if (pending > 0) {
      Integer before = waiting.put(generationId, pending);
      texts += pending - (before == null ? 0 : before);
    }
  }

  public boolean full() {
    return texts >= maxTexts;
  }

  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  public int texts() {
    return texts;
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
    List<String> ids = new ArrayList<>();
    List<List<String>> perGeneration = new ArrayList<>();
    List<String> all = new ArrayList<>();
    var it = waiting.entrySet().iterator();
    while (it.hasNext() && (all.isEmpty() || all.size() < maxTexts)) {
      var entry = it.next();
      it.remove();
      texts -= entry.getValue();
      List<String> pending = engine.pendingTexts(entry.getKey(), store);
      ids.add(entry.getKey());
      perGeneration.add(pending);
      all.addAll(pending);
    }
    float[][] vectors;
    RuntimeException failure = null;
    try {
      vectors = encoder.encode(all);
      if (vectors.length != all.size()) {
        throw new IllegalStateException("the encoder returned " + vectors.length + " embeddings for " + all.size() + " texts");
      }
    } catch (RuntimeException e) {
      failure = e;
      vectors = new float[all.size()][];
    }
    List<Output> outputs = new ArrayList<>(ids.size());
    List<String> failed = new ArrayList<>(0);
    int from = 0;
    for (int g = 0; g < ids.size(); g++) {
      int n = perGeneration.get(g).size();
      float[][] slice = new float[n][];
      System.arraycopy(vectors, from, slice, 0, n);
      from += n;
      try {
        outputs.add(engine.completeEmbeddings(ids.get(g), slice, store));
      } catch (RuntimeException e) {
        // The stored state is as before this attempt; complete that without embeddings.
        failed.add(ids.get(g));
        store.forget(ids.get(g));
        failure = failure != null ? failure : e;
        outputs.add(engine.completeEmbeddings(ids.get(g), new float[n][], store));
      }
    }
    return new Flush(outputs, all.size(), ids.size(), failure, failed);
  }
}
