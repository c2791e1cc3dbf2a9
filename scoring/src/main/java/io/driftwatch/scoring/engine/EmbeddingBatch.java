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

  /** What a flush did. */
  public record Flush(List<Output> outputs, int texts, int generations, RuntimeException failure) {}

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
   * Embeds every waiting text in one call and completes the generations, in the order they joined. If
   * the model fails, the sentences complete without semantic scores (flagged), so that a broken model
   * never stalls the monitor; the failure is returned for the caller to log and count.
   */
  public Flush flush(GenerationStore store) {
    if (waiting.isEmpty()) {
      return new Flush(List.of(), 0, 0, null);
    }
    List<String> ids = new ArrayList<>(waiting.keySet());
    List<List<String>> perGeneration = new ArrayList<>(ids.size());
    List<String> all = new ArrayList<>(texts);
    for (String id : ids) {
      List<String> pending = engine.pendingTexts(id, store);
      perGeneration.add(pending);
      all.addAll(pending);
    }
    waiting.clear();
    texts = 0;
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
    int from = 0;
    for (int g = 0; g < ids.size(); g++) {
      int n = perGeneration.get(g).size();
      float[][] slice = new float[n][];
      System.arraycopy(vectors, from, slice, 0, n);
      from += n;
      outputs.add(engine.completeEmbeddings(ids.get(g), slice, store));
    }
    return new Flush(outputs, all.size(), ids.size(), failure);
  }
}
