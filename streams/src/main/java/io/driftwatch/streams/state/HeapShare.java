package io.driftwatch.streams.state;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A share of the heap for what the tasks of one instance keep live ({@link WriteBehind}), split equally
 * among the tasks that hold it at the moment: a task's processor joins when it starts and leaves when it
 * closes, so the others' shares grow and shrink with the assignment. Joining again (a processor
 * initialised again after a restore) or leaving twice changes nothing.
 *
 * <p>Why a share of memory and not a number of entries per task: a task that holds more open
 * generations than it may keep live decodes and encodes one at nearly every event, as the generations
 * take turns; with a fixed 1,024 per task, throughput fell to a quarter past that many open generations
 * (docs/benchmarks.md), while a heap of a few GB holds tens of thousands. What an entry weighs is the
 * holder's estimate of its heap ({@link WriteBehind}'s weigher).
 *
 * <p>Thread-safe: the tasks of every stream thread join and leave the one share of their topology.
 */
public final class HeapShare {

  private final long bytes;
  private final long minTaskBytes;
  private final Set<Object> holders = ConcurrentHashMap.newKeySet();

  /**
   * @param bytes what all holders together may keep
   * @param minTaskBytes what each keeps at least, however many share it
   */
  public HeapShare(long bytes, long minTaskBytes) {
    if (bytes < 1 || minTaskBytes < 1) {
      throw new IllegalArgumentException("a heap share must be positive, was " + bytes + " (at least " + minTaskBytes + " a task)");
    }
    this.bytes = bytes;
    this.minTaskBytes = minTaskBytes;
  }

  /** {@code percent} of the JVM's maximum heap. */
  public static HeapShare ofHeapPercent(int percent, long minTaskBytes) {
    return new HeapShare(Runtime.getRuntime().maxMemory() / 100 * percent, minTaskBytes);
  }

  /** A task's processor starts keeping entries. */
  public void join(Object holder) {
    holders.add(holder);
  }

  /** A task's processor stops: its share goes to the others. */
  public void leave(Object holder) {
    holders.remove(holder);
  }

  /** What one task may keep now, in bytes of heap. */
  public long taskShare() {
    return Math.max(minTaskBytes, bytes / Math.max(1, holders.size()));
  }

  public int tasks() {
    return holders.size();
  }
}
