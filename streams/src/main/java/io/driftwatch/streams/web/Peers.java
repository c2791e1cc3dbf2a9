package io.driftwatch.streams.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.StreamsMetadata;
import io.driftwatch.streams.view.ViewStores;

/**
 * The application's instances as Kafka Streams knows them (each advertises its web address as
 * {@code application.server}), and the internal HTTP call that asks another instance for what it holds.
 */
final class Peers {

  /** Marks a request one instance makes of another, which answers from its own stores only. */
  static final String FORWARDED_HEADER = "X-Driftwatch-Forwarded";

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final KafkaStreams streams;
  private final HostInfo self;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  Peers(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  HostInfo self() {
    return self;
  }

  /** Where a generation lives: its partition and the instance that holds it; empty while rebalancing. */
  Optional<Owner> ownerOf(String generationId) {
    KeyQueryMetadata metadata = streams.queryMetadataForKey(ViewStores.SUMMARIES, generationId, new StringSerializer());
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      return Optional.empty();
    }
    return Optional.of(new Owner(metadata.activeHost(), metadata.partition()));
  }

  record Owner(HostInfo host, int partition) {}

  /** Every instance running the view, this one included. */
  List<StreamsMetadata> all() {
    return List.copyOf(streams.streamsMetadataForStore(ViewStores.SUMMARIES));
  }

  boolean isSelf(HostInfo host) {
    return host.equals(self);
  }

  /** GET of another instance's API path; the body and status as it answered. */
  Answer get(HostInfo host, String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
        .header(FORWARDED_HEADER, self.host() + ":" + self.port())
        .timeout(TIMEOUT)
        .GET()
        .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(response.statusCode(), response.body());
  }

  record Answer(int status, byte[] body) {}
}
