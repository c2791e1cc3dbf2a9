package io.driftwatch.cli;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The demo's rule for every port it opens: a port the user chose is used as it is (and fails clearly
 * when taken), a default port that is taken gives way to a free one, with a line saying so, so that
 * a second demo beside a first one starts.
 */
final class DemoPorts {

  private DemoPorts() {}

  /**
   * @param chosen the port the user gave, or null
   * @param preferred the default port
   * @return the port to use; 0 asks the server to take any free one
   */
  static int orFree(Integer chosen, int preferred, String what, PrintStream out) {
    if (chosen != null) {
      return chosen;
    }
    if (EmbeddedKafkaBroker.inUse(preferred)) {
      out.println("Port " + preferred + " is taken; the " + what + " will use a free port instead.");
      return 0;
    }
    return preferred;
  }

  /** A port free on 127.0.0.1 now, for a server that cannot be told to pick one itself (Prometheus). */
  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }
}
