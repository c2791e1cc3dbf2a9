package io.driftwatch.streams.scoring;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The heap an instance gives its open generations' live states ({@link GenerationScoringProcessor}
 * keeps them between commits), shared equally by the scoring tasks it runs at the moment.
 *
 * <p>Why a share of memory and not a number of generations: a task that holds more open generations
 * than it may keep live decodes and encodes a state at nearly every event, as generations take turns;
 * with a fixed 1,024 per task, throughput fell to a quarter past that many open generations
 * (docs/benchmarks.md), while a heap of a few GB holds tens of thousands of ordinary states. And
 * states differ in size by two orders of magnitude (docs/memory.md), so each is weighed by what its
 * latest encoding took, times what a live state measured on the heap against its encoding.
 *
 * <p>Thread-safe: every stream thread's tasks join and leave the one budget of their topology.
 */
public final class LiveStateBudget {

  /**
   * Heap bytes of a live state per byte of its encoding: 23.6 KB live against 2.3 KB encoded for
   * ordinary text (docs/memory.md), rounded up.
   */
  static final long HEAP_PER_ENCODED_BYTE = 11;
  /** What a state weighs before its first encoding, and at least: an ordinary state's encoding, rounded up. */
  static final long MIN_STATE_WEIGHT = 2_560;
  /** Each task keeps at least this much, however many tasks share the budget: about 400 ordinary states. */
  static final long MIN_TASK_SHARE = 1024 * 1024;

  /** What all live states of this instance may weigh together. */
  private final long encodedBytes;
  private final long minTaskShare;
  private final AtomicInteger tasks = new AtomicInteger();

  /** @param heapBytes the heap all live states of this instance may take together */
  public LiveStateBudget(long heapBytes) {
    this(heapBytes / HEAP_PER_ENCODED_BYTE, MIN_TASK_SHARE);
    if (heapBytes < 1) {
      throw new IllegalArgumentException("the live states' heap must be positive, was " + heapBytes);
    }
  }

  /** In weights ({@link #weight}) directly, with a smaller floor per task: for tests of tight budgets. */
  LiveStateBudget(long encodedBytes, long minTaskShare) {
    this.encodedBytes = encodedBytes;
    this.minTaskShare = minTaskShare;
  }

  /** {@code percent} of the JVM's maximum heap. */
  public static LiveStateBudget ofHeapPercent(int percent) {
    return new LiveStateBudget(Runtime.getRuntime().maxMemory() / 100 * percent);
  }

  /** A task starts keeping live states. */
  void join() {
    tasks.incrementAndGet();
  }

  /** A task stops: its share goes to the others. */
  void leave() {
    tasks.decrementAndGet();
  }

  /** What one task's live states may weigh together ({@link #weight}), now. */
  long taskShare() {
    return Math.max(minTaskShare, encodedBytes / Math.max(1, tasks.get()));
  }

  /** What a live state weighs against the budget. */
  static long weight(OpenGeneration state) {
    return Math.max(MIN_STATE_WEIGHT, state.state().encodedBytes());
  }

  int tasks() {
    return tasks.get();
  }
}
