package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.streams.probe.LiveProbeSettings;
import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProbeOptionsTest {

  @Test
  void noEndpointMeansNoProbe() {
    assertThat(parse().settings()).isNull();
  }

  @Test
  void theOptionsMakeTheSettings() {
    LiveProbeSettings s = parse("--probe-endpoint", "http://gpu:8000/v1", "--probe-rate", "0.25", "--probe-model", "m",
        "--probe-token-budget", "5000", "--probe-requests-per-second", "0.5").settings();
    assertThat(s.endpoint()).isEqualTo(URI.create("http://gpu:8000/v1"));
    assertThat(s.rate()).isEqualTo(0.25);
    assertThat(s.model()).isEqualTo("m");
    assertThat(s.tokenBudgetPerHour()).isEqualTo(5000);
    assertThat(s.requestsPerSecond()).isEqualTo(0.5);
    assertThat(s.apiKey()).isNull();
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    LiveProbeSettings s = parse("--probe-endpoint", "http://gpu:8000").settings();
    assertThat(s.rate()).isEqualTo(0.01);
    assertThat(s.model()).isNull();
    assertThat(s.tokenBudgetPerHour()).isEqualTo(200_000);
    assertThat(s.requestsPerSecond()).isEqualTo(2);
  }

  @Test
  void badValuesAreExplained() {
    assertThatThrownBy(() -> parse("--probe-endpoint", "gpu:8000").settings()).isInstanceOf(UserFacingException.class)
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> parse("--probe-endpoint", "http://gpu:8000", "--probe-rate", "2").settings())
        .isInstanceOf(UserFacingException.class).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> parse("--probe-endpoint", "http://gpu:8000", "--probe-token-budget", "0").settings())
        .isInstanceOf(UserFacingException.class).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> parse("--probe-model", "m").settings()).isInstanceOf(UserFacingException.class)
        .hasMessageContaining("need --probe-endpoint");
    assertThatThrownBy(() -> parse("--probe-endpoint", "http://gpu:8000", "--probe-api-key-env", "DRIFTWATCH_NO_SUCH_VARIABLE_42")
        .settings()).isInstanceOf(UserFacingException.class).hasMessageContaining("not set or empty");
  }

  @Test
  void theKeyNeverShowsInTheSettingsText() {
    String path = System.getenv().keySet().stream().filter(k -> k.equals("PATH")).findFirst().orElseThrow();
    LiveProbeSettings s = parse("--probe-endpoint", "http://gpu:8000", "--probe-api-key-env", path).settings();
    assertThat(s.apiKey()).isEqualTo(System.getenv(path));
    assertThat(s.toString()).doesNotContain(System.getenv(path)).contains("apiKey=set");
  }

  private static ProbeOptions parse(String... args) {
    ProbeOptions options = new ProbeOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }
}
