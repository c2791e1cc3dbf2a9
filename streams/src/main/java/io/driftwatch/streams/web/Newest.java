package io.driftwatch.streams.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The first {@code limit} of the items offered, in an order: what sorting them all and keeping the
 * head gives, while holding only {@code limit} of them. The web API reads every view an instance
 * holds to answer a listing; kept whole, those would grow with the number of open generations.
 */
final class Newest<T> {

  private final int limit;
  private final Comparator<? super T> order;
  /** The kept items in the reversed order: at its head, the one that sorts last, the first to drop. */
  private final PriorityQueue<T> kept;

  Newest(int limit, Comparator<? super T> order) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    this.limit = limit;
    this.order = order;
    this.kept = new PriorityQueue<>(Math.max(1, Math.min(limit, 1024) + 1), order.reversed());
  }

  void add(T item) {
    if (limit == 0) {
      return;
    }
    if (kept.size() < limit) {
      kept.add(item);
    } else if (order.compare(item, kept.peek()) < 0) {
      kept.poll();
      kept.add(item);
    }
  }

  /** The kept items, in order. */
  List<T> list() {
    List<T> out = new ArrayList<>(kept);
    out.sort(order);
    return List.copyOf(out);
  }
}
