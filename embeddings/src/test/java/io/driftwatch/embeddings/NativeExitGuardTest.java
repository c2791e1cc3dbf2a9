package io.driftwatch.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class NativeExitGuardTest {

  @Test
  void exitWaitsForACallAlreadyRunning() throws Exception {
    NativeExitGuard guard = new NativeExitGuard();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread caller = new Thread(() -> guard.call(() -> {
      inside.countDown();
      await(finish);
      return null;
    }));
    caller.start();
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

    CountDownLatch exited = new CountDownLatch(1);
    AtomicBoolean quiet = new AtomicBoolean();
    Thread exit = new Thread(() -> {
      quiet.set(guard.exiting(Duration.ofSeconds(10)));
      exited.countDown();
    });
    exit.start();
    assertThat(exited.await(300, TimeUnit.MILLISECONDS)).as("the exit must wait for the running call").isFalse();
    finish.countDown();
    assertThat(exited.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(quiet).isTrue();
  }

  @Test
  void callsAfterTheExitBeganNeverRunNorDoReleases() throws Exception {
    NativeExitGuard guard = new NativeExitGuard();
    assertThat(guard.exiting(Duration.ofSeconds(1))).isTrue();

    AtomicBoolean ran = new AtomicBoolean();
    Thread late = new Thread(() -> guard.call(() -> {
      ran.set(true);
      return null;
    }));
    late.setDaemon(true);
    late.start();
    late.join(300);
    assertThat(late.isAlive()).isTrue();
    assertThat(ran).isFalse();

    AtomicBoolean released = new AtomicBoolean();
    guard.release(() -> released.set(true));
    assertThat(released).isFalse();
    assertThat(guard.inFlight()).isZero();
  }

  @Test
  void theExitGivesUpAfterItsWait() throws Exception {
    NativeExitGuard guard = new NativeExitGuard();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread caller = new Thread(() -> guard.call(() -> {
      inside.countDown();
      await(finish);
      return null;
    }));
    caller.start();
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(guard.exiting(Duration.ofMillis(100))).isFalse();
    finish.countDown();
    caller.join(5000);
    assertThat(guard.inFlight()).isZero();
  }

  @Test
  void aSignalStopsTheModelsUsersFirstWhileCallsStillRunThenExits() {
    NativeExitGuard guard = new NativeExitGuard();
    java.util.List<String> steps = new java.util.ArrayList<>();
    guard.beforeExit(() -> steps.add("stopped, call " + guard.call(() -> "ran")));
    guard.shutdown(143, status -> steps.add("exit " + status + ", calls in flight " + guard.inFlight()));
    assertThat(steps).containsExactly("stopped, call ran", "exit 143, calls in flight 0");
    AtomicBoolean released = new AtomicBoolean();
    guard.release(() -> released.set(true));
    assertThat(released).as("the exit has begun").isFalse();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
