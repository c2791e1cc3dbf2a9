package io.driftwatch.scoring.offline;

import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.baseline.BaselineSettings;
import io.driftwatch.scoring.baseline.Baselines;
import io.driftwatch.scoring.engine.GenerationState;
import io.driftwatch.scoring.engine.GenerationStore;
import io.driftwatch.scoring.engine.StateCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@link GenerationStore} in memory for offline scoring. By default states are kept serialised,
 * exactly as the Kafka Streams store keeps them, so that offline and streaming scoring go through the
 * same round trip and cannot drift apart. {@link #live()} keeps the objects themselves: only for
 * benchmarks that separate the cost of the round trip from the cost of scoring.
 */
public final class InMemoryGenerationStore implements GenerationStore {

  private final Map<String, byte[]> open = new LinkedHashMap<>();
  private final Map<String, GenerationState> live;
  private final Set<String> closed = new HashSet<>();
  private final Baselines baselines;
  private Predicate<String> shed = id -> false;

  /** With baselines learned as the monitor learns them by default. */
  public InMemoryGenerationStore() {
    this(Baselines.inMemory(BaselineSettings.DEFAULTS));
  }

  public InMemoryGenerationStore(Baselines baselines) {
    this(null, baselines);
  }

  private InMemoryGenerationStore(Map<String, GenerationState> live, Baselines baselines) {
    this.live = live;
    this.baselines = baselines;
  }

  /**
   * A store with no baselines: records carry no percentiles. For benchmarks over labelled sets that
   * mix drifted and steady texts under one model name, whose baseline would be no model's normal.
   */
  public static InMemoryGenerationStore withoutBaselines() {
    return new InMemoryGenerationStore(null, null);
  }

  /**
   * A store that keeps live objects, with no serialisation round trip: for benchmarks, and for the tap's
   * in-process guard, whose states never leave the process.
   */
  public static InMemoryGenerationStore live() {
    return new InMemoryGenerationStore(new LinkedHashMap<>(), Baselines.inMemory(BaselineSettings.DEFAULTS));
  }

  @Override
  public Baselines baselines() {
    return baselines;
  }

  /**
   * The same store deciding load shedding by {@code shed}: the offline twin of a monitor run, given the
   * generations that monitor shed (their summaries carry the flag {@value ScoreRecord#SEMANTIC_SHED}).
   */
  public InMemoryGenerationStore shedding(Predicate<String> shed) {
    this.shed = shed;
    return this;
  }

  @Override
  public boolean shedsSemantic(String generationId) {
    return shed.test(generationId);
  }

  @Override
  public GenerationState get(String generationId) {
    if (live != null) {
      return live.get(generationId);
    }
    byte[] bytes = open.get(generationId);
    return bytes == null ? null : StateCodec.decode(bytes);
  }

  @Override
  public void put(String generationId, GenerationState state) {
    if (live != null) {
      live.put(generationId, state);
    } else {
      open.put(generationId, StateCodec.encode(state));
    }
  }

  @Override
  public void delete(String generationId) {
    open.remove(generationId);
    if (live != null) {
      live.remove(generationId);
    }
  }

  @Override
  public boolean isClosed(String generationId) {
    return closed.contains(generationId);
  }

  @Override
  public void markClosed(String generationId, Instant lastEventTime) {
    closed.add(generationId);
  }

  /** Open generations in order of first appearance. */
  public List<String> openGenerations() {
    return new ArrayList<>(live != null ? live.keySet() : open.keySet());
  }
}
