package io.driftwatch.benchmarks;

import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.engine.GenerationState;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.engine.StateCodec;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The state codec: encoding and decoding one open generation's state, which the state store does for
 * every changed generation at every commit (at every token event before the state was written behind). Typical states, 300 tokens into a demo generation: lexical scores only
 * ({@code lexical}); lexical scores and attribution against the demo's reference index
 * ({@code attribution}); every score with semantic ones ({@code semantic}, embeddings drawn at random:
 * the state's size and shape do not depend on their values).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StateCodecBenchmark {

  private static final int TOKENS = 300;

  @Param({"lexical", "attribution", "semantic"})
  public String state;

  private GenerationState live;
  private byte[] encoded;

  @Setup(Level.Trial)
  public void setUp() {
    Path dir = null;
    try {
      ScoringEngine engine = switch (state) {
        case "lexical" -> new ScoringEngine(ScoringSettings.DEFAULTS);
        case "attribution" -> new ScoringEngine(ScoringSettings.DEFAULTS, false,
            new AttributionScoring(new StreamingMatcher(Workload.referenceIndex(dir = Workload.tempDir()), MatchSettings.DEFAULTS)));
        case "semantic" -> new ScoringEngine(ScoringSettings.DEFAULTS, true);
        default -> throw new IllegalArgumentException(state);
      };
      live = typicalState(engine, state.equals("attribution") ? Scenario.VERBATIM_COPY : Scenario.TOPIC_DRIFT);
      encoded = encode();
    } finally {
      if (dir != null) {
        Workload.delete(dir);
      }
    }
  }

  /** The state of a generation {@value #TOKENS} tokens in; semantic texts embedded as they complete. */
  static GenerationState typicalState(ScoringEngine engine, Scenario scenario) {
    InMemoryGenerationStore store = InMemoryGenerationStore.live();
    List<GenerationEvent> events = Workload.generation("0f8c1a52-gen-000042", scenario, 480, 5);
    Random random = new Random(5);
    for (GenerationEvent e : events.subList(0, TOKENS + 1)) {
      engine.process(e, store);
      int waiting = engine.pendingTexts(e.generationId(), store).size();
      if (engine.semantic() && waiting > 0) {
        float[][] vectors = new float[waiting][];
        for (int i = 0; i < waiting; i++) {
          vectors[i] = unitVector(random, 384);
        }
        engine.completeEmbeddings(e.generationId(), vectors, store);
      }
    }
    return store.get("0f8c1a52-gen-000042");
  }

  private static float[] unitVector(Random random, int dims) {
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < dims; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  @Benchmark
  public byte[] encode() {
    return StateCodec.encode(live);
  }

  @Benchmark
  public GenerationState decode() {
    return StateCodec.decode(encoded);
  }
}
