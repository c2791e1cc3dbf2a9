package io.driftwatch.embeddings;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Keeps the JVM's exit from running underneath ONNX Runtime. ONNX Runtime's Java binding registers a
 * shutdown hook that releases its native environment; shutdown hooks run at once and in no order, so
 * on SIGTERM or Ctrl-C the environment can be freed while another thread is still inside ONNX Runtime
 * (creating a session, running a forward pass), which then reads freed memory, and the process dies
 * with SIGSEGV or SIGBUS and an hs_err file instead of exiting. A hook of ours cannot run before theirs, so
 * the guard takes SIGTERM and SIGINT itself: it lets native calls already running end (for a bounded
 * time) and only then starts the exit. Native calls that would start after that never start: their
 * threads wait in Java, where the exit can safely end them, rather than fail with a result that would
 * look like a model failure. Releasing native resources once the exit began is skipped: the process is
 * ending and the release would race with ONNX Runtime's own.
 */
final class NativeExitGuard {

  /** Longest the exit waits for a native call: far longer than creating a session or a forward pass takes, short enough for an orchestrator's grace period. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(15);

  static final NativeExitGuard JVM = new NativeExitGuard();

  static {
    // A System.exit of the application's own still waits for native calls already running.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> JVM.exiting(EXIT_WAIT), "driftwatch-onnx-exit-guard"));
    for (String name : new String[] {"TERM", "INT"}) {
      takeSignal(name);
    }
  }

  @SuppressWarnings("restriction")
  private static void takeSignal(String name) {
    try {
      sun.misc.Signal signal = new sun.misc.Signal(name);
      // The exit status the JVM gives a process ended by this signal.
      sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> JVM.shutdown(128 + s.getNumber(), System::exit));
      if (previous == sun.misc.SignalHandler.SIG_IGN) {
        // Ignored by whoever started the process (nohup, a background job): it stays ignored.
        sun.misc.Signal.handle(signal, previous);
      }
    } catch (IllegalArgumentException e) {
      // The JVM keeps this signal (-Xrs, or a platform without it): its own handling applies.
    }
  }

  private final Object lock = new Object();
  private final java.util.List<Runnable> beforeExit = new java.util.concurrent.CopyOnWriteArrayList<>();
  private int inFlight;
  private boolean exiting;

  /** Work to stop, while native calls still run, before the exit begins (see {@link SentenceEmbedder#stopBeforeExit}). */
  void beforeExit(Runnable stop) {
    beforeExit.add(stop);
  }

  /**
   * What a signal does: stops the registered users of the model while it still runs (so that, say, a
   * stream thread finishes its batch rather than wait for the exit), lets native calls still running
   * end, then exits with {@code status}.
   */
  void shutdown(int status, java.util.function.IntConsumer exit) {
    for (Runnable stop : beforeExit) {
      try {
        stop.run();
      } catch (RuntimeException e) {
        System.err.println("stopping before exit failed: " + e);
      }
    }
    exiting(EXIT_WAIT);
    exit.accept(status);
  }

  /**
   * Runs a native call unless the exit has begun; if it has, waits in Java until the JVM ends the
   * thread. Never from a shutdown hook, which would then hold up the exit: {@link #release} is for those.
   */
  <T> T call(Supplier<T> work) {
    enter();
    try {
      return work.get();
    } finally {
      leave();
    }
  }

  /**
   * Frees native resources, unless the exit began (shutdown hooks close embedders): then the process
   * is ending and ONNX Runtime's own hook may be releasing the environment under it.
   */
  void release(Runnable work) {
    synchronized (lock) {
      if (exiting) {
        return;
      }
      inFlight++;
    }
    try {
      work.run();
    } finally {
      leave();
    }
  }

  /**
   * Marks the exit as begun and waits until no native call is running or the wait is over.
   *
   * @return whether every native call had ended
   */
  boolean exiting(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      exiting = true;
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return inFlight == 0;
        }
      }
      return true;
    }
  }

  int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  private void enter() {
    synchronized (lock) {
      boolean interrupted = false;
      while (exiting) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          // The thread is meant to stay here until the JVM is gone; the interrupt is kept for its owner.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      inFlight++;
    }
  }

  private void leave() {
    synchronized (lock) {
      inFlight--;
      lock.notifyAll();
    }
  }
}
