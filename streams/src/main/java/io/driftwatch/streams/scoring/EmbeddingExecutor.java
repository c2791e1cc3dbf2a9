package io.driftwatch.streams.scoring;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run a monitor's model calls, shared by all its stream tasks. One thread by default:
 * the model parallelises each call over its own threads, and two calls at once on a small machine only
 * make them wait for each other's cores. Daemon threads, so that a monitor that is not closed still
 * lets its JVM exit. They may run at a lower priority (a nice value, {@link NiceThread}), so that a
 * model behind on its work does not take the cores from the cheap scores when there are too few.
 */
public final class EmbeddingExecutor implements Executor, AutoCloseable {

  /** The highest nice value, the lowest priority, the threads can be given (Linux's). */
  public static final int MAX_NICE = NiceThread.MAX;

  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ExecutorService threads;

  public EmbeddingExecutor(int threadCount) {
    this(threadCount, 0);
  }

  /** @param nice the threads' nice value, 0 (normal priority) to 19 (lowest) */
  public EmbeddingExecutor(int threadCount, int nice) {
    if (threadCount < 1) {
      throw new IllegalArgumentException("an embedding executor needs at least one thread, got " + threadCount);
    }
    this.threads = Executors.newFixedThreadPool(threadCount, niceThreads("driftwatch-embedding-" + INSTANCES.incrementAndGet(), nice));
  }

  /**
   * Daemon threads named {@code name-1}, {@code name-2}, ... that run at the given nice value (0 to
   * {@value #MAX_NICE}; 0 leaves them at normal priority): for the model's parallel passes beside this
   * executor's thread, so that the whole model call runs at one priority.
   */
  public static ThreadFactory niceThreads(String name, int nice) {
    if (nice < 0 || nice > MAX_NICE) {
      throw new IllegalArgumentException("a nice value is 0 to " + MAX_NICE + ", got " + nice);
    }
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Runnable niceTask = () -> {
        NiceThread.apply(nice);
        task.run();
      };
      Thread t = new Thread(niceTask, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void execute(Runnable command) {
    threads.execute(command);
  }

  /** Stops taking calls and waits briefly for the running one; what was queued is dropped (it is re-queued from state). */
  @Override
  public void close() {
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
