package io.driftwatch.producers.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a metric label's values bounded: the first {@code cap} distinct values pass through, later ones
 * become {@value #OTHER}; a missing value becomes {@value #UNKNOWN}, so that "not given" and "too many"
 * stay apart on a dashboard. Label values come from clients and producers (paths, model names, finish
 * reasons), so without a cap one misbehaving client could create unbounded time series. The tap and the
 * monitor share this one class so that their labels mean the same.
 */
public final class BoundedLabel {

  public static final String OTHER = "other";
  public static final String UNKNOWN = "unknown";

  private final int cap;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  public BoundedLabel(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be >= 1, got " + cap);
    }
    this.cap = cap;
  }

  public String of(String value) {
    if (value == null || value.isEmpty()) {
      return UNKNOWN;
    }
    if (admitted.contains(value)) {
      return value;
    }
    synchronized (admitted) {
      if (admitted.contains(value) || admitted.size() < cap) {
        admitted.add(value);
        return value;
      }
    }
    return OTHER;
  }
}
