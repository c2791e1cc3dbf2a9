package io.driftwatch.streams.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * When each open generation of a task was last seen, in memory, so that the idle check costs what the
 * generations that went idle cost rather than a decode of every stored state each second. Generations
 * are kept in buckets of {@code bucketMillis} by that time: an event moves its generation to another
 * bucket at most once per bucket, and a check visits only the buckets that end before its cutoff (plus
 * the one it falls in). Rebuilt from the store whenever the processor starts, so it is never more than a
 * view of what the store and the live states hold. Not thread-safe: one per processor.
 */
final class IdleIndex {

  private final long bucketMillis;
  private final Map<String, Long> lastSeen = new HashMap<>();
  private final TreeMap<Long, Set<String>> buckets = new TreeMap<>();

  IdleIndex(long bucketMillis) {
    if (bucketMillis < 1) {
      throw new IllegalArgumentException("bucketMillis must be positive, got " + bucketMillis);
    }
    this.bucketMillis = bucketMillis;
  }

  /** The generation was seen at {@code millis} (wall clock). */
  void touch(String id, long millis) {
    Long before = lastSeen.put(id, millis);
    long bucket = Math.floorDiv(millis, bucketMillis);
    if (before != null) {
      long old = Math.floorDiv(before, bucketMillis);
      if (old == bucket) {
        return;
      }
      leave(old, id);
    }
    buckets.computeIfAbsent(bucket, b -> new HashSet<>()).add(id);
  }

  /** The generation is no longer open here. */
  void remove(String id) {
    Long before = lastSeen.remove(id);
    if (before != null) {
      leave(Math.floorDiv(before, bucketMillis), id);
    }
  }

  /** Generations last seen at or before {@code cutoff}. */
  List<String> idleSince(long cutoff) {
    List<String> idle = new ArrayList<>();
    for (Map.Entry<Long, Set<String>> bucket : buckets.headMap(Math.floorDiv(cutoff, bucketMillis), true).entrySet()) {
      for (String id : bucket.getValue()) {
        if (lastSeen.get(id) <= cutoff) {
          idle.add(id);
        }
      }
    }
    return idle;
  }

  /** Open generations known. */
  int size() {
    return lastSeen.size();
  }

  void clear() {
    lastSeen.clear();
    buckets.clear();
  }

  private void leave(long bucket, String id) {
    Set<String> ids = buckets.get(bucket);
    if (ids != null && ids.remove(id) && ids.isEmpty()) {
      buckets.remove(bucket);
    }
  }

  /** For tests: every generation with its time, in no order. */
  Iterator<Map.Entry<String, Long>> entries() {
    return lastSeen.entrySet().iterator();
  }
}
