package io.driftwatch.streams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Test input as concurrent producers send it: the generations' events taken in turn, each generation's in order. */
public final class Interleaved {

  private Interleaved() {}

  /** The first event of each generation, then the second of each, and so on; shorter ones drop out. */
  public static <T> List<T> roundRobin(Collection<List<T>> generations) {
    List<T> out = new ArrayList<>();
    int longest = generations.stream().mapToInt(List::size).max().orElse(0);
    for (int i = 0; i < longest; i++) {
      for (List<T> events : generations) {
        if (i < events.size()) {
          out.add(events.get(i));
        }
      }
    }
    return out;
  }
}
