package io.driftwatch.streams.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's values bounded: the first {@code cap} distinct values pass through, later ones become
 * {@value #OTHER}. Label values come from producers (model names, finish reasons), so without a cap one
 * misbehaving producer could create unbounded time series.
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
      if (admitted.size() < cap) {
        admitted.add(value);
        return value;
      }
    }
    return OTHER;
  }
}
