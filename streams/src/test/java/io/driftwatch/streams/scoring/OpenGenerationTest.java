package io.driftwatch.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.scoring.engine.GenerationState;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.engine.StateCodec;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenGenerationTest {

  @Test
  void aLiveStateIsTakenToWeighItsLatestEncodingTimesTheMeasuredRatioAndAtLeastAnOrdinaryOne() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, false);
    InMemoryGenerationStore store = InMemoryGenerationStore.live(); // no round trip: nothing encoded yet
    Instant t0 = Instant.parse("2026-12-05T06:00:00Z");
    engine.process(new GenerationEvent.Start(1, "g", "run", "model", "Tell a story.", null, Map.of(), t0), store);
    GenerationState fresh = store.get("g");
    assertThat(fresh.encodedBytes()).isZero();
    assertThat(new OpenGeneration(0, fresh).heapEstimate()).isEqualTo(OpenGeneration.ORDINARY_HEAP_BYTES);

    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      text.append(" Word").append(i).append(i % 9 == 8 ? "." : "");
    }
    engine.process(new GenerationEvent.Token(1, "g", 0L, text.toString(), null, null, null, t0.plusMillis(10)), store);
    GenerationState grown = store.get("g");
    byte[] encoded = StateCodec.encode(grown);
    assertThat(grown.encodedBytes()).isEqualTo(encoded.length);
    assertThat(encoded.length).isGreaterThan((int) OpenGeneration.MIN_ENCODED_BYTES);
    assertThat(new OpenGeneration(0, grown).heapEstimate()).isEqualTo(encoded.length * OpenGeneration.HEAP_PER_ENCODED_BYTE);
    assertThat(StateCodec.decode(encoded).encodedBytes()).as("a decoded state weighs its bytes").isEqualTo(encoded.length);
  }
}
