package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeaderPolicyTest {

  @Test
  void hopByHopAndRecomputedHeadersStayOnTheirSide() {
    Map<String, List<String>> headers = Map.of("Connection", List.of("keep-alive, X-Trace-Hop"), "Content-Type", List.of("application/json"));
    Set<String> tokens = HeaderPolicy.connectionTokens(headers);
    for (String name : List.of("Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization",
        "Proxy-Connection", "Host", "Content-Length", "Expect", "x-trace-hop", ":status")) {
      assertThat(HeaderPolicy.forwarded(name, tokens)).as(name).isFalse();
    }
    for (String name : List.of("Authorization", "api-key", "Content-Type", "Accept", "OpenAI-Organization", "X-Request-Id", "Date")) {
      assertThat(HeaderPolicy.forwarded(name, tokens)).as(name).isTrue();
    }
  }

  @Test
  void credentialsAreRedactedWhenHeadersAreDescribed() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Authorization", List.of("Bearer sk-test-SECRET"));
    headers.put("Api-key", List.of("azure-SECRET"));
    headers.put("X-api-key", List.of("anthropic-SECRET"));
    headers.put("Cookie", List.of("session=SECRET"));
    headers.put("X-goog-api-key", List.of("goog-SECRET"));
    headers.put("Content-type", List.of("application/json"));
    String described = HeaderPolicy.describe(headers);
    assertThat(described).doesNotContain("SECRET").contains("authorization=<redacted>", "api-key=<redacted>", "x-api-key=<redacted>",
        "cookie=<redacted>", "content-type=application/json");
    assertThat(HeaderPolicy.secret("OpenAI-Organization")).isFalse();
  }

  @Test
  void onlyGenerationRequestsAreMonitored() {
    assertThat(Endpoint.monitored("POST", "/v1/chat/completions")).isEqualTo(Optional.of(Endpoint.CHAT));
    assertThat(Endpoint.monitored("post", "/v1/completions")).isEqualTo(Optional.of(Endpoint.COMPLETIONS));
    assertThat(Endpoint.monitored("POST", "/openai/deployments/gpt4/chat/completions")).isEqualTo(Optional.of(Endpoint.CHAT));
    assertThat(Endpoint.monitored("GET", "/v1/chat/completions")).isEmpty();
    assertThat(Endpoint.monitored("POST", "/v1/embeddings")).isEmpty();
    assertThat(Endpoint.monitored("GET", "/v1/models")).isEmpty();
  }

  @Test
  void pathLabelsKeepMonitoredPathsAndCutOthers() {
    assertThat(TapMetrics.pathLabel("/v1/chat/completions", true)).isEqualTo("/v1/chat/completions");
    assertThat(TapMetrics.pathLabel("/v1/models/gpt-4o", false)).isEqualTo("/v1/models");
    assertThat(TapMetrics.pathLabel("/v1/files/file-abc/content", false)).isEqualTo("/v1/files");
    assertThat(TapMetrics.pathLabel("/health", false)).isEqualTo("/health");
  }
}
