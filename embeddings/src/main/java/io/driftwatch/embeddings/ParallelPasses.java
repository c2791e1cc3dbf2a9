package io.driftwatch.embeddings;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the forward passes of one model call on up to {@code parallelism} threads at once: the calling
 * thread and helpers of a pool of daemon threads. Each taking part claims the next pass not yet claimed,
 * so that long and short passes spread evenly, and runs it through a worker of its own (DJL's
 * predictors are not thread-safe; the ONNX Runtime session under them is). Where each pass's result
 * goes is the worker's business: by index, which keeps the call's order whatever thread ran what.
 *
 * <p>{@link #run} returns only once every pass that began has ended, even when one failed or the caller
 * was interrupted, so that a caller tracking its running calls (to close the model only after them)
 * covers their parallel parts too.
 */
final class ParallelPasses implements AutoCloseable {

  /** What one thread taking part in a call runs its passes with. */
  interface Worker extends AutoCloseable {
    void pass(int index);

    @Override
    void close();
  }

  private final int parallelism;
  private final ExecutorService helpers;

  /**
   * @param parallelism most threads a call runs on at once, the caller included; 1 runs every pass on
   *     the caller and starts no thread
   * @param threads makes the helper threads, which should be daemons: a pool its owner forgot to close
   *     must not keep the JVM alive
   */
  ParallelPasses(int parallelism, ThreadFactory threads) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallel passes must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
    helpers = parallelism == 1 ? null : Executors.newFixedThreadPool(parallelism - 1, threads);
  }

  /** Daemon threads named {@code name-1}, {@code name-2}, ... */
  static ThreadFactory daemonThreads(String name) {
    AtomicInteger numbers = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + numbers.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  int parallelism() {
    return parallelism;
  }

  /**
   * Runs passes {@code 0 .. count-1}, each exactly once unless one fails, which stops the others from
   * starting new ones and fails the call with an {@link EmbeddingModelException} naming the pass, the
   * part and its thread. With a parallelism of 1 a failure propagates as thrown.
   */
  void run(int count, Supplier<Worker> newWorker) {
    if (count == 0) {
      return;
    }
    if (helpers == null || count == 1) {
      try (Worker worker = newWorker.get()) {
        for (int i = 0; i < count; i++) {
          worker.pass(i);
        }
      }
      return;
    }
    Call call = new Call(count, newWorker);
    int helping = Math.min(parallelism, count) - 1;
    for (int part = 1; part <= helping; part++) {
      int number = part;
      try {
        helpers.execute(() -> call.help(number));
      } catch (RejectedExecutionException closed) {
        break; // the pool is closed: the caller runs the passes alone
      }
    }
    call.work(0);
    call.awaitHelpers();
    call.throwFailure(parallelism);
  }

  /** Stops the helper threads; calls still running finish their passes on the threads already in them. */
  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdown();
    }
  }

  /** The shared progress of one call. */
  private static final class Call {
    private final int count;
    private final Supplier<Worker> newWorker;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean failed;
    // Guarded by this: helpers inside the call, whether more may join, and the first failure.
    private int active;
    private boolean admitting = true;
    private RuntimeException failure;
    private String failedWhere;

    Call(int count, Supplier<Worker> newWorker) {
      this.count = count;
      this.newWorker = newWorker;
    }

    /**
     * A helper joins unless the caller has already finished waiting; one queued behind another call's
     * helpers may come too late, which is harmless since the passes are claimed, never assigned.
     */
    void help(int part) {
      synchronized (this) {
        if (!admitting) {
          return;
        }
        active++;
      }
      try {
        work(part);
      } finally {
        synchronized (this) {
          active--;
          notifyAll();
        }
      }
    }

    void work(int part) {
      Worker worker = null;
      int index = -1;
      try {
        while (!failed && (index = next.getAndIncrement()) < count) {
          if (worker == null) {
            worker = newWorker.get();
          }
          worker.pass(index);
        }
      } catch (RuntimeException | Error e) {
        fail(e, "pass " + (index + 1) + " of " + count + " (part " + (part + 1) + ", thread " + Thread.currentThread().getName() + ")");
      } finally {
        if (worker != null) {
          try {
            worker.close();
          } catch (RuntimeException e) {
            fail(e, "closing part " + (part + 1) + " (thread " + Thread.currentThread().getName() + ")");
          }
        }
      }
    }

    private synchronized void fail(Throwable e, String where) {
      failed = true;
      if (failure == null) {
        failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        failedWhere = where;
      }
    }

    /** Waits for every helper that joined, however long and even if interrupted: they may be inside the model. */
    synchronized void awaitHelpers() {
      admitting = false;
      boolean interrupted = false;
      while (active > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    synchronized void throwFailure(int parallelism) {
      if (failure != null) {
        throw new EmbeddingModelException("a forward pass failed, " + failedWhere + " of a call split over up to " + parallelism
            + " parallel passes: " + failure.getMessage(), failure);
      }
    }
  }
}
