package io.driftwatch.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The splitting of a call's passes over threads, with plain Java workers in place of the model. */
class ParallelPassesTest {

  @Test
  void everyPassRunsExactlyOnceOnUpToTheParallelismThreadsEachWithAWorkerOfItsOwn() {
    try (ParallelPasses passes = new ParallelPasses(3, ParallelPasses.daemonThreads("test-pass"))) {
      AtomicIntegerArray runs = new AtomicIntegerArray(500);
      Set<String> threads = ConcurrentHashMap.newKeySet();
      AtomicInteger opened = new AtomicInteger();
      AtomicInteger closed = new AtomicInteger();
      passes.run(500, () -> {
        opened.incrementAndGet();
        Thread owner = Thread.currentThread();
        return new ParallelPasses.Worker() {
          @Override
          public void pass(int index) {
            assertThat(Thread.currentThread()).as("a worker is used only by the thread that made it").isSameAs(owner);
            threads.add(Thread.currentThread().getName());
            runs.incrementAndGet(index);
            spin();
          }

          @Override
          public void close() {
            closed.incrementAndGet();
          }
        };
      });
      for (int i = 0; i < runs.length(); i++) {
        assertThat(runs.get(i)).as("runs of pass %d", i).isEqualTo(1);
      }
      assertThat(threads).hasSizeBetween(1, 3).contains(Thread.currentThread().getName());
      assertThat(threads.stream().filter(t -> !t.equals(Thread.currentThread().getName()))).allMatch(t -> t.startsWith("test-pass-"));
      assertThat(closed.get()).isEqualTo(opened.get()).isBetween(1, 3);
    }
  }

  @Test
  void helperThreadsAreNamedDaemons() throws Exception {
    try (ParallelPasses passes = new ParallelPasses(2, ParallelPasses.daemonThreads("test-pass"))) {
      CountDownLatch bothInside = new CountDownLatch(2);
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      passes.run(2, () -> new ParallelPasses.Worker() {
        @Override
        public void pass(int index) {
          threads.add(Thread.currentThread());
          bothInside.countDown();
          try {
            // Each of the two passes waits for the other: they must run at the same time.
            assertThat(bothInside.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public void close() {}
      });
      assertThat(threads).hasSize(2);
      Thread helper = threads.stream().filter(t -> t != Thread.currentThread()).findFirst().orElseThrow();
      assertThat(helper.isDaemon()).isTrue();
      assertThat(helper.getName()).isEqualTo("test-pass-1");
    }
  }

  @Test
  void aFailingPassFailsTheCallWithWhereItFailedOnlyAfterEveryRunningPassHasEnded() {
    try (ParallelPasses passes = new ParallelPasses(2, ParallelPasses.daemonThreads("test-pass"))) {
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger started = new AtomicInteger();
      assertThatThrownBy(() -> passes.run(1000, () -> new ParallelPasses.Worker() {
        @Override
        public void pass(int index) {
          started.incrementAndGet();
          inside.incrementAndGet();
          try {
            if (index == 7) {
              throw new IllegalStateException("native trouble");
            }
            spin();
          } finally {
            inside.decrementAndGet();
          }
        }

        @Override
        public void close() {}
      })).isInstanceOf(EmbeddingModelException.class)
          .hasMessageContaining("pass 8 of 1000")
          .hasMessageContaining("native trouble")
          .hasMessageContaining("2 parallel passes")
          .hasRootCauseMessage("native trouble");
      assertThat(inside.get()).as("passes still running when the call failed").isZero();
      assertThat(started.get()).as("the others stop taking passes after a failure").isLessThan(1000);
    }
  }

  @Test
  void anInterruptedCallerStillWaitsForItsHelpers() {
    try (ParallelPasses passes = new ParallelPasses(2, ParallelPasses.daemonThreads("test-pass"))) {
      AtomicInteger inside = new AtomicInteger();
      CountDownLatch helperInside = new CountDownLatch(1);
      Thread caller = Thread.currentThread();
      passes.run(2, () -> new ParallelPasses.Worker() {
        @Override
        public void pass(int index) {
          inside.incrementAndGet();
          if (Thread.currentThread() == caller) {
            // The caller's pass waits for the helper to be inside its own, then the caller is interrupted.
            try {
              assertThat(helperInside.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            caller.interrupt();
          } else {
            helperInside.countDown();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < until) {
              Thread.onSpinWait();
            }
          }
          inside.decrementAndGet();
        }

        @Override
        public void close() {}
      });
      assertThat(inside.get()).isZero();
      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }
  }

  @Test
  void aParallelismOfOneRunsOnTheCallerAndPassesFailuresOnAsThrown() {
    try (ParallelPasses passes = new ParallelPasses(1, ParallelPasses.daemonThreads("test-pass"))) {
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      IllegalStateException failure = new IllegalStateException("as thrown");
      assertThatThrownBy(() -> passes.run(3, () -> new ParallelPasses.Worker() {
        @Override
        public void pass(int index) {
          threads.add(Thread.currentThread());
          if (index == 2) {
            throw failure;
          }
        }

        @Override
        public void close() {}
      })).isSameAs(failure);
      assertThat(threads).containsExactly(Thread.currentThread());
    }
    assertThatThrownBy(() -> new ParallelPasses(0, ParallelPasses.daemonThreads("test-pass"))).isInstanceOf(IllegalArgumentException.class);
  }

  /** A little work, so that several threads get to take part. */
  private static void spin() {
    long until = System.nanoTime() + 20_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }
}
