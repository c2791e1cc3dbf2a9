package io.driftwatch.producers.tap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guarded generations the tap is relaying now, by generation id: where an alert read from Kafka
 * finds the stream it is about. Entries live from a generation's start event to its end event.
 */
public final class InFlightGenerations {

  private final Map<String, ResponseGuard> open = new ConcurrentHashMap<>();

  void add(String generationId, ResponseGuard guard) {
    open.put(generationId, guard);
  }

  /** Removes the entry only if it is still this response's: another response may have taken the id since. */
  void remove(String generationId, ResponseGuard guard) {
    open.remove(generationId, guard);
  }

  /** The guard of a generation in flight, or null when the tap is not relaying it (any more). */
  ResponseGuard get(String generationId) {
    return open.get(generationId);
  }

  public int size() {
    return open.size();
  }
}
