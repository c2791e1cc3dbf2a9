package io.driftwatch.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What the view keeps live is weighed by an estimate ({@link GenerationView#heapEstimate()},
 * {@link TokenChunk#heapEstimate()}); the estimate must not fall below the heap the objects take, or
 * the view's share of the heap would hold more than it says. Measured as docs/memory.md measures
 * states: used heap after {@code System.gc()}, the smallest of five readings, with 5,000 of each held.
 */
class ViewHeapEstimateTest {

  private static final Instant T0 = Instant.parse("2026-12-05T06:00:00Z");
  private static final int N = 5_000;

  @Test
  void theEstimatesAreAtLeastWhatViewsAndChunksTakeOnTheHeap() throws Exception {
    List<GenerationView> views = new ArrayList<>();
    long before = usedHeapAfterGc();
    for (int g = 0; g < N; g++) {
      views.add(view("gen-" + g));
    }
    long viewBytes = (usedHeapAfterGc() - before) / N;
    List<TokenChunk> chunks = new ArrayList<>();
    before = usedHeapAfterGc();
    for (int g = 0; g < N; g++) {
      TokenChunk chunk = TokenChunk.empty();
      for (int t = 0; t < TokenChunk.SIZE; t++) {
        chunk = chunk.plus(t, " word" + (g + t), -0.5);
      }
      chunks.add(chunk);
    }
    long chunkBytes = (usedHeapAfterGc() - before) / N;
    long viewEstimate = views.get(0).heapEstimate();
    long chunkEstimate = chunks.get(0).heapEstimate();
    System.out.printf("view: %,d bytes measured, %,d estimated; chunk of %d tokens: %,d measured, %,d estimated%n",
        viewBytes, viewEstimate, TokenChunk.SIZE, chunkBytes, chunkEstimate);
    assertThat(viewEstimate).isGreaterThanOrEqualTo(viewBytes);
    assertThat(chunkEstimate).isGreaterThanOrEqualTo(chunkBytes);
    assertThat(views).hasSize(N);
    assertThat(chunks).hasSize(N);
  }

  @Test
  void theEstimatesGrowWithWhatVaries() {
    GenerationView small = GenerationView.of("g");
    GenerationView large = GenerationView.of("g");
    small.onStart(new GenerationEvent.Start(1, "g", "r", "m", "Hi.", null, Map.of(), T0));
    large.onStart(new GenerationEvent.Start(1, "g", "r", "m", "Hi. ".repeat(1000), null, Map.of("a", "b".repeat(500)), T0));
    assertThat(large.heapEstimate() - small.heapEstimate()).isGreaterThanOrEqualTo(2L * (4000 - 3) + 2 * 501);
    assertThat(TokenChunk.empty().plus(0, "x".repeat(1000), null).heapEstimate())
        .isGreaterThan(TokenChunk.empty().plus(0, "x", null).heapEstimate() + 1000);
  }

  /** A view as a busy generation leaves it: a 480-character prompt, 25 score records of 28 scores, 3 alerts. */
  private static GenerationView view(String id) throws IOException {
    GenerationView view = GenerationView.of(id);
    String prompt = "It was a truth universally acknowledged, that a single man in possession of a good fortune, "
        + "must be in want of a wife. ";
    view.onStart(new GenerationEvent.Start(1, id, "bench", "bench-model", prompt.repeat(4), null, Map.of("scenario", "steady"), T0));
    for (int s = 0; s < 25; s++) {
      Map<String, Double> scores = new TreeMap<>();
      for (int k = 0; k < 28; k++) {
        scores.put("score_name_" + k, k * 0.1 + s);
      }
      // Through JSON, as the view reads records from their topic: keys and values are its own.
      view.onScore(EventCodec.fromJson(EventCodec.toJson(
          new ScoreRecord(1, id, "bench", "bench-model", "sentence", s, s + 1, 0, 10, 10, scores, List.of(), T0, null)),
          ScoreRecord.class));
    }
    for (int a = 0; a < 3; a++) {
      view.onAlert(EventCodec.fromJson(EventCodec.toJson(
          new AlertEvent(1, id, "bench", "bench-model", "rule-" + a, "loop_repeats", "firing", 3, 3, 1.5, 0, 10, 2, T0)),
          AlertEvent.class));
    }
    return view;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      best = Math.min(best, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
    }
    return best;
  }
}
