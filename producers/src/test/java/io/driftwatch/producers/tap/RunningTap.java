package io.driftwatch.producers.tap;

import io.driftwatch.producers.sdk.Chunking;
import io.driftwatch.producers.sdk.TokenStreamPublisher;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A tap wired as the CLI wires it: publisher, metrics endpoint, server; closed in the reverse order. */
record RunningTap(TapServer server, TokenStreamPublisher publisher, TapMetrics metrics, HTTPServer metricsServer, Duration publisherClose)
    implements AutoCloseable {

  static RunningTap start(URI upstream, String bootstrap, String topic, int bufferEvents, Map<String, Object> kafkaOverrides)
      throws IOException {
    return start(upstream, bootstrap, topic, bufferEvents, kafkaOverrides, Duration.ofSeconds(5));
  }

  /** @param publisherClose how long closing waits for Kafka: short where Kafka is down on purpose */
  static RunningTap start(URI upstream, String bootstrap, String topic, int bufferEvents, Map<String, Object> kafkaOverrides,
      Duration publisherClose) throws IOException {
    return start(upstream, bootstrap, topic, bufferEvents, Chunking.NONE, kafkaOverrides, publisherClose);
  }

  static RunningTap start(URI upstream, String bootstrap, String topic, int bufferEvents, Chunking chunking,
      Map<String, Object> kafkaOverrides, Duration publisherClose) throws IOException {
    TokenStreamPublisher publisher = TokenStreamPublisher.connect(bootstrap, topic, bufferEvents, chunking, kafkaOverrides);
    TapMetrics metrics = new TapMetrics(new PrometheusRegistry(), publisher::stats);
    HTTPServer metricsServer = metrics.serve("127.0.0.1", 0);
    TapServer server = TapServer.start(TapSettings.defaults(upstream).withBind("127.0.0.1", 0).withThreads(16), publisher, metrics,
        new TapContext("tap-it", Map.of("suite", "TapIT")));
    return new RunningTap(server, publisher, metrics, metricsServer, publisherClose);
  }

  URI uri(String pathAndQuery) {
    return URI.create(server.url() + pathAndQuery);
  }

  /** The metrics endpoint's text, fetched over HTTP as Prometheus would. */
  String scrape() throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsServer.getPort() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() {
    server.close(Duration.ZERO);
    publisher.close(publisherClose);
    metricsServer.close();
  }
}
