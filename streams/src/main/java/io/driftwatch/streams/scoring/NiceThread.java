package io.driftwatch.streams.scoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the calling thread a nice value (Linux), so that a model thread kept busy by a backlog leaves
 * the cores to the threads that must not wait when there are too few: the stream threads with the
 * cheap scores and their alerts, and Kafka's. The scheduler still gives a nice thread every cycle no
 * other thread wants, so a machine with cores to spare embeds as fast as before.
 *
 * <p>Java cannot set a thread's nice value (thread priorities are ignored on Linux), so this runs
 * {@code renice} on the thread's id, read from {@code /proc/thread-self}. Threads the nice thread
 * starts inherit its value. Where that is not possible (not Linux, no {@code renice}) the thread keeps
 * the normal priority and a warning says so.
 */
final class NiceThread {

  private static final Logger log = LoggerFactory.getLogger(NiceThread.class);

  /** The highest nice value, the lowest priority, Linux allows. */
  static final int MAX = 19;

  private NiceThread() {}

  /** Sets the calling thread's nice value; true if it now has it. 0 leaves the thread as it is. */
  static boolean apply(int nice) {
    if (nice < 0 || nice > MAX) {
      throw new IllegalArgumentException("a nice value is 0 to " + MAX + ", got " + nice);
    }
    if (nice == 0) {
      return true;
    }
    String thread = Thread.currentThread().getName();
    try {
      // "/proc/thread-self" links to "<pid>/task/<tid>"; renice takes a thread id where it takes a process id.
      Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
      String tid = self.getFileName().toString();
      Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid).redirectErrorStream(true).start();
      String output = new String(renice.getInputStream().readAllBytes()).trim();
      if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
        log.warn("could not give thread {} the nice value {} ({}); it runs at normal priority", thread, nice, output);
        return false;
      }
      log.debug("thread {} (tid {}) runs at nice {}", thread, tid, nice);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("could not give thread {} the nice value {} ({}: needs Linux and renice); it runs at normal priority", thread, nice,
          e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
