package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A generation's stored state stays bounded with semantic scores on, whatever its length: the last R
 * quantised sentence vectors, the anchor, and the texts waiting for their batch. Measured as the JSON the
 * state store keeps; the figures are in docs/scores.md.
 */
class SemanticStateSizeTest {

  /** The documented ceiling for default settings, with a batch of waiting sentences. */
  private static final int CEILING_BYTES = 24 * 1024;

  @Test
  void stateStaysBoundedOnLongGenerations() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true);
    Random random = new Random(1);
    for (int tokens : List.of(480, 8000)) {
      InMemoryGenerationStore store = new InMemoryGenerationStore();
      // 384 dimensions, like all-MiniLM-L6-v2; values are irrelevant to the size.
      EmbeddingBatch batch = new EmbeddingBatch(engine, texts -> {
        float[][] out = new float[texts.size()][384];
        for (float[] v : out) {
          for (int d = 0; d < v.length; d++) {
            v[d] = (float) random.nextGaussian() / 20;
          }
        }
        return out;
      }, 16);
      Scenario.Script script = Scenario.TOPIC_DRIFT.script(ScenarioFixtures.CORPUS, random, tokens);
      List<GenerationEvent> events = ScenarioFixtures.events("g", script);
      int largest = 0;
      for (GenerationEvent event : events.subList(0, events.size() - 1)) {
        batch.waiting("g", engine.process(event, store).pending());
        largest = Math.max(largest, StateCodec.encode(store.get("g")).length);
        if (batch.full()) {
          batch.flush(store);
        }
      }
      System.out.printf("semantic state of a %d-token generation: largest %,d bytes, at the end %,d bytes%n", tokens, largest,
          StateCodec.encode(store.get("g")).length);
      assertThat(largest).isLessThan(CEILING_BYTES);
      // Round trip: what the store keeps is what the engine continues from.
      GenerationState state = store.get("g");
      assertThat(StateCodec.encode(StateCodec.decode(StateCodec.encode(state)))).isEqualTo(StateCodec.encode(state));
    }
  }
}
