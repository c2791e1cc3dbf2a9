package io.driftwatch.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingExecutorTest {

  /** The calling thread's nice value as the kernel reports it (field 19 of /proc/thread-self/stat). */
  private static OptionalInt niceOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      // The command name, in parentheses, may hold spaces: count the fields after it (field 3 onwards).
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalInt.of(Integer.parseInt(fields[19 - 3]));
    } catch (Exception e) {
      return OptionalInt.empty();
    }
  }

  private static OptionalInt niceOfATaskOn(EmbeddingExecutor executor) throws Exception {
    CompletableFuture<OptionalInt> nice = new CompletableFuture<>();
    executor.execute(() -> nice.complete(niceOfThisThread()));
    return nice.get(10, TimeUnit.SECONDS);
  }

  @Test
  void modelCallsRunAtTheNiceValueAskedFor() throws Exception {
    OptionalInt before = niceOfThisThread();
    assumeTrue(before.isPresent() && before.getAsInt() == 0, "needs Linux's /proc and a JVM at normal priority");
    try (EmbeddingExecutor executor = new EmbeddingExecutor(1, 10)) {
      assertThat(niceOfATaskOn(executor)).as("needs renice (util-linux)").hasValue(10);
      assertThat(niceOfATaskOn(executor)).as("the same thread, still nice").hasValue(10);
    }
    assertThat(niceOfThisThread()).as("the thread that made the executor is untouched").hasValue(0);
  }

  @Test
  void byDefaultModelCallsRunAtNormalPriority() throws Exception {
    OptionalInt before = niceOfThisThread();
    assumeTrue(before.isPresent(), "needs Linux's /proc");
    try (EmbeddingExecutor executor = new EmbeddingExecutor(1)) {
      assertThat(niceOfATaskOn(executor)).isEqualTo(before);
    }
  }

  @Test
  void threadsStartedByANiceThreadInheritItsValue() throws Exception {
    OptionalInt before = niceOfThisThread();
    assumeTrue(before.isPresent() && before.getAsInt() == 0, "needs Linux's /proc and a JVM at normal priority");
    try (EmbeddingExecutor executor = new EmbeddingExecutor(1, 5)) {
      // As threads a model call starts from the model thread would be.
      CompletableFuture<OptionalInt> child = new CompletableFuture<>();
      executor.execute(() -> new Thread(() -> child.complete(niceOfThisThread())).start());
      assertThat(child.get(10, TimeUnit.SECONDS)).hasValue(5);
    }
  }

  /** The threads a monitor gives its model's parallel passes run at the model thread's nice value. */
  @Test
  void niceThreadsForParallelPassesRunAtTheirNiceValue() throws Exception {
    OptionalInt before = niceOfThisThread();
    assumeTrue(before.isPresent() && before.getAsInt() == 0, "needs Linux's /proc and a JVM at normal priority");
    CompletableFuture<OptionalInt> nice = new CompletableFuture<>();
    Thread pass = EmbeddingExecutor.niceThreads("test-pass", 7).newThread(() -> nice.complete(niceOfThisThread()));
    assertThat(pass.getName()).isEqualTo("test-pass-1");
    assertThat(pass.isDaemon()).isTrue();
    pass.start();
    assertThat(nice.get(10, TimeUnit.SECONDS)).as("needs renice (util-linux)").hasValue(7);
    assertThat(niceOfThisThread()).as("the thread that made it is untouched").hasValue(0);
    assertThatThrownBy(() -> EmbeddingExecutor.niceThreads("test-pass", 20)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void niceValuesOutsideLinuxsRangeAreRefused() {
    assertThatThrownBy(() -> new EmbeddingExecutor(1, 20)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 19");
    assertThatThrownBy(() -> new EmbeddingExecutor(1, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 19");
    assertThatThrownBy(() -> new EmbeddingExecutor(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
