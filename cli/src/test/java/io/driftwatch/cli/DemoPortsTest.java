package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoPortsTest {

  @Test
  void aTakenDefaultGivesWayToAFreePortAndSaysSo() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      int port = taken.getLocalPort();
      assertThat(DemoPorts.orFree(null, port, "metrics endpoint", print)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("Port " + port + " is taken", "metrics endpoint");
      // A port the user chose is theirs: used as given, to fail clearly if it is taken.
      assertThat(DemoPorts.orFree(port, 9464, "metrics endpoint", print)).isEqualTo(port);
    }
  }

  @Test
  void aFreeDefaultIsKept() throws Exception {
    int port = DemoPorts.free();
    assertThat(DemoPorts.orFree(null, port, "metrics endpoint", new PrintStream(new ByteArrayOutputStream()))).isEqualTo(port);
  }
}
