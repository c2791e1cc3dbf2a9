package io.driftwatch.producers.tap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a metric label's values bounded: the first {@code cap} distinct values are kept, later ones
 * count as "other". Paths come from clients, so without a bound any client could grow the metrics
 * endpoint without limit.
 */
final class BoundedLabel {

  static final String OTHER = "other";

  private final int cap;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  BoundedLabel(int cap) {
    this.cap = cap;
  }

  String of(String value) {
    if (value == null || value.isEmpty()) {
      return OTHER;
    }
    if (seen.contains(value)) {
      return value;
    }
    synchronized (this) {
      if (seen.size() < cap) {
        seen.add(value);
        return value;
      }
    }
    return seen.contains(value) ? value : OTHER;
  }
}
