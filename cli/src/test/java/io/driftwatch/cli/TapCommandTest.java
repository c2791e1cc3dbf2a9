package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code driftwatch tap} says about itself and about mistakes, before any traffic. */
class TapCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Driftwatch.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void helpExplainsWhatTheTapDoesAndItsOptions() {
    Run r = run("tap", "--help");
    assertThat(r.exit()).isZero();
    // Picocli wraps lines at 80 columns; compare with the line breaks taken out.
    assertThat(r.out().replaceAll("\\s+", " ")).contains("Usage: driftwatch tap", "OpenAI-compatible", "byte for byte", "Credentials", "dropped and counted",
        "--upstream=URL", "--bootstrap=HOST:PORT", "--port=PORT", "default: 8787", "--bind=ADDRESS", "default: 127.0.0.1",
        "--topic-prefix", "--run-id=ID", "default: tap", "--attribute=KEY=VALUE", "--buffer-events=N", "--metrics-port=PORT",
        "default: 9465", "docs/tap.md");
    assertThat(run("--help").out()).contains("tap");
  }

  @Test
  void guardRulesThatNoPathCanDecideAreRefusedBeforeAnyTraffic() {
    String[] base = {"tap", "--upstream", "https://api.openai.com", "--bootstrap", "127.0.0.1:9092"};
    Run semanticInProcessOnly = run(concat(base, "--guard", "topic_shift", "--no-guard-kafka"));
    assertThat(semanticInProcessOnly.exit()).isEqualTo(1);
    assertThat(semanticInProcessOnly.err()).contains("--guard topic_shift", "embeddings", "--no-guard-kafka");
    Run verbatimWithoutIndex = run(concat(base, "--guard", "loop,verbatim_copy", "--no-guard-kafka"));
    assertThat(verbatimWithoutIndex.exit()).isEqualTo(1);
    assertThat(verbatimWithoutIndex.err()).contains("verbatim_copy needs a reference index (--index)");
    Run unknown = run(concat(base, "--guard", "no_such_rule"));
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("no alert rule is named no_such_rule");
    Run dryRunAlone = run(concat(base, "--guard-dry-run"));
    assertThat(dryRunAlone.exit()).isEqualTo(1);
    assertThat(dryRunAlone.err()).contains("--guard-dry-run needs --guard");
    assertThat(run("tap", "--help").out().replaceAll("\\s+", " ")).contains("--guard=RULE[,RULE...]", "--guard-dry-run",
        "--guard-finish-reason=REASON", "default: content_filter", "--[no-]guard-kafka");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void theUpstreamAndKafkaAreRequired() {
    Run r = run("tap", "--bootstrap", "127.0.0.1:9092");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--upstream");
    assertThat(run("tap", "--upstream", "https://api.openai.com").err()).contains("--bootstrap");
  }

  @Test
  void badUpstreamsAreExplainedInOneLineWithoutEchoingCredentials() {
    Run ftp = run("tap", "--upstream", "ftp://example.com", "--bootstrap", "127.0.0.1:9092");
    assertThat(ftp.exit()).isEqualTo(1);
    assertThat(ftp.err()).contains("http:// or https://").doesNotContain("Exception");
    Run withPassword = run("tap", "--upstream", "https://user:hunter2@example.com", "--bootstrap", "127.0.0.1:9092");
    assertThat(withPassword.exit()).isEqualTo(1);
    assertThat(withPassword.err()).contains("must not contain credentials").doesNotContain("hunter2");
    assertThat(run("tap", "--upstream", "api.openai.com", "--bootstrap", "127.0.0.1:9092").err()).contains("absolute URL");
  }

  @Test
  void attributesTheTapSetsItselfAreRefused() {
    Run r = run("tap", "--upstream", "https://api.openai.com", "--bootstrap", "127.0.0.1:9092", "--attribute", "endpoint=x");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--attribute endpoint", "sets endpoint itself");
  }

  @Test
  void aBusyPortIsReportedAndTheMetricsEndpointClosedAgain() throws Exception {
    int metricsPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      metricsPort = probe.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run r = run("tap", "--upstream", "http://127.0.0.1:1", "--bootstrap", "127.0.0.1:1", "--port", String.valueOf(taken.getLocalPort()),
          "--metrics-port", String.valueOf(metricsPort));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort(), "choose another --port");
    }
    // The metrics endpoint had started before the tap's port turned out busy; it must have been closed.
    try (ServerSocket again = new ServerSocket(metricsPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(metricsPort);
    }
  }
}
