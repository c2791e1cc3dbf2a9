package io.driftwatch.scoring.engine;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.fuzz.FuzzEvents;
import io.driftwatch.contract.fuzz.Mutator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random input file for the engine: several generations interleaved, each a mostly well-behaved stream
 * of valid events with the irregularities real producers cause (a missing or late start, a second start,
 * duplicated and late tokens, seq gaps, overlapping chunks, events after the end, an end for a generation
 * never seen, ids shared between generations), and a few records broken at the byte level. Seeded.
 */
final class FuzzScript {

  private FuzzScript() {}

  /** The records of one input, in order, as bytes (one event per line of a {@code driftwatch score} file). */
  static List<byte[]> lines(Random r, int maxTokens) {
    List<List<GenerationEvent>> generations = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int g = 1 + r.nextInt(8); g > 0; g--) {
      String id = !ids.isEmpty() && r.nextInt(10) == 0 ? ids.get(r.nextInt(ids.size())) : FuzzEvents.id(r);
      ids.add(id);
      generations.add(generation(r, id, r.nextInt(20) == 0 ? maxTokens : r.nextInt(maxTokens / 2 + 1)));
    }
    List<GenerationEvent> merged = interleave(r, generations);
    List<byte[]> lines = new ArrayList<>(merged.size());
    for (GenerationEvent event : merged) {
      byte[] json = EventCodec.encode(event);
      int pick = r.nextInt(100);
      lines.add(pick < 4 ? Mutator.mutate(json, r).bytes() : json);
    }
    return lines;
  }

  private static List<GenerationEvent> generation(Random r, String id, int tokens) {
    List<GenerationEvent> events = new ArrayList<>();
    Instant t0 = FuzzEvents.T0.plusMillis(r.nextInt(100_000));
    boolean start = r.nextInt(10) != 0;
    boolean lateStart = start && r.nextInt(15) == 0;
    if (start && !lateStart) {
      events.add(FuzzEvents.start(r, id, t0));
    }
    long seq = 0;
    int step = 0;
    while (seq < tokens) {
      step++;
      Instant at = FuzzEvents.time(r, t0, step);
      int pick = r.nextInt(100);
      if (pick < 3) {
        seq += 1 + r.nextInt(5); // a gap
      } else if (pick < 6 && seq > 0) {
        seq -= 1 + r.nextInt((int) Math.min(seq, 4)); // late or duplicated tokens
      } else if (pick < 7) {
        seq = r.nextBoolean() ? Long.MAX_VALUE - r.nextInt(3) : seq + (1L << 40); // a huge jump
      }
      if (r.nextInt(5) == 0) {
        int size = 1 + r.nextInt(r.nextInt(30) == 0 ? 200 : 8);
        if (seq > Long.MAX_VALUE - size) {
          size = 1;
        }
        events.add(FuzzEvents.chunk(r, id, seq, size, at));
        seq += size;
      } else {
        events.add(FuzzEvents.token(r, id, seq, at));
        seq++;
      }
      if (seq < 0 || seq == Long.MAX_VALUE) {
        break;
      }
      if (lateStart && step == 3) {
        events.add(FuzzEvents.start(r, id, at));
      }
      if (r.nextInt(200) == 0) {
        events.add(FuzzEvents.start(r, id, at)); // a second start
      }
    }
    int ends = r.nextInt(10) < 8 ? 1 : r.nextInt(3);
    for (int i = 0; i < ends; i++) {
      events.add(FuzzEvents.end(r, id, FuzzEvents.time(r, t0, step + 1)));
    }
    if (r.nextInt(10) == 0) {
      events.add(FuzzEvents.token(r, id, Math.max(seq, seq + 1), FuzzEvents.time(r, t0, step + 2))); // after the end
    }
    return events;
  }

  /** Merges the generations' events, keeping each one's order except for an occasional swap. */
  private static List<GenerationEvent> interleave(Random r, List<List<GenerationEvent>> generations) {
    List<GenerationEvent> out = new ArrayList<>();
    int[] next = new int[generations.size()];
    int remaining = generations.stream().mapToInt(List::size).sum();
    while (remaining > 0) {
      int g = r.nextInt(generations.size());
      if (next[g] < generations.get(g).size()) {
        out.add(generations.get(g).get(next[g]++));
        remaining--;
      }
    }
    for (int swaps = out.size() / 50; swaps > 0; swaps--) {
      int i = r.nextInt(out.size());
      int j = Math.min(out.size() - 1, i + 1 + r.nextInt(5));
      GenerationEvent a = out.get(i);
      out.set(i, out.get(j));
      out.set(j, a);
    }
    if (r.nextInt(10) == 0) {
      out.add(r.nextInt(out.size() + 1), FuzzEvents.end(r, FuzzEvents.id(r), FuzzEvents.T0)); // never seen
    }
    return out;
  }
}
