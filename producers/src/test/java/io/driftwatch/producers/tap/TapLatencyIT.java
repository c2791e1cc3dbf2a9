package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures what the tap adds to each streamed event, two ways: the tap's own histogram (read from the
 * upstream to flushed to the client), and the client's view, comparing the same recorded stream
 * straight from the server and through the tap. Server, tap and client share one JVM, hence one
 * clock: an event's latency is its arrival at the client minus the moment the server flushed it.
 *
 * <p>Prints p50/p99 and writes them to target/tap-latency.txt; asserts only that every event arrived,
 * byte-identical, and was timed, never a duration (a shared 2-core machine makes timings noisy). The
 * default is a quick run; docs/tap.md gives the command for the published figures
 * ({@code -Dtap.latency.streams=300}, optionally {@code -Dtap.latency.kafka=none}).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TapLatencyIT {

  private static final String FIXTURE = "chat-stream-logprobs.sse";
  private static final int WARMUP_STREAMS = 5;

  @Test
  void measureTheLatencyTheTapAddsPerChunk(EmbeddedKafkaBroker kafka) throws Exception {
    int streams = Integer.getInteger("tap.latency.streams", 10);
    Duration eventDelay = Duration.ofMillis(Integer.getInteger("tap.latency.event-delay-ms", 3));
    // The embedded broker runs in this JVM, on the same two cores; "none" points the tap at a closed port
    // instead (events are parsed and offered, then dropped) to show how much of the cost is Kafka's.
    boolean kafkaInJvm = !"none".equals(System.getProperty("tap.latency.kafka"));
    String bootstrap = kafkaInJvm ? kafka.bootstrapServers() : "127.0.0.1:" + closedPort();
    TapServer.disableNagle();
    int eventsPerStream = RecordedOpenAiServer.events(Fixtures.text(FIXTURE)).size();
    StreamingClient client = new StreamingClient();
    List<Long> direct = new ArrayList<>();
    List<Long> viaTap = new ArrayList<>();
    HistogramSnapshot.HistogramDataPointSnapshot histogram;
    try (RecordedOpenAiServer upstream = new RecordedOpenAiServer(eventDelay, false);
        RunningTap tap = RunningTap.start(upstream.uri(), bootstrap, "tap-latency.tokens", 100_000, Map.of(), Duration.ofMillis(500))) {
      for (int i = 0; i < WARMUP_STREAMS + streams; i++) {
        boolean measured = i >= WARMUP_STREAMS;
        // Alternate which goes first, so that neither side always runs on a warmer machine.
        boolean tapFirst = i % 2 == 1;
        for (boolean throughTap : tapFirst ? List.of(true, false) : List.of(false, true)) {
          URI base = throughTap ? URI.create(tap.server().url()) : upstream.uri();
          String streamId = (throughTap ? "tap-" : "direct-") + i;
          StreamingClient.Response response = client.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
              .header("X-Replay", FIXTURE).header("X-Stream-Id", streamId)
              .POST(HttpRequest.BodyPublishers.ofString(StreamingResponseParserTest.CHAT_REQUEST)).build());
          assertThat(response.body()).isEqualTo(Fixtures.bytes(FIXTURE));
          List<Long> flushed = upstream.eventFlushedNanos.get(streamId);
          assertThat(response.eventNanos()).hasSize(eventsPerStream);
          assertThat(flushed).hasSize(eventsPerStream);
          if (measured) {
            for (int e = 0; e < eventsPerStream; e++) {
              (throughTap ? viaTap : direct).add(response.eventNanos().get(e) - flushed.get(e));
            }
          }
        }
      }
      histogram = tap.metrics().chunkRelaySeconds().collect().getDataPoints().get(0);
    }
    assertThat(direct).hasSize(streams * eventsPerStream);
    assertThat(viaTap).hasSize(streams * eventsPerStream);
    // At least one relayed chunk per stream, at most one per byte.
    assertThat(histogram.getCount()).isBetween((long) WARMUP_STREAMS + streams, (long) Fixtures.bytes(FIXTURE).length * (WARMUP_STREAMS + streams));

    String report = String.format(Locale.ROOT,
        "tap latency: %d streams x %d events of %s, %d ms apart (after %d warm-up streams), publishing to %s%n"
            + "  client-side, server flush -> client read, direct:   p50 %7.1f us  p99 %7.1f us%n"
            + "  client-side, server flush -> client read, via tap:  p50 %7.1f us  p99 %7.1f us%n"
            + "  added by the tap (difference of the percentiles):   p50 %7.1f us  p99 %7.1f us%n"
            + "  tap histogram driftwatch_tap_chunk_relay_seconds (%d chunks, bucket-interpolated): p50 %7.1f us  p99 %7.1f us%n",
        streams, eventsPerStream, FIXTURE, eventDelay.toMillis(), WARMUP_STREAMS,
        kafkaInJvm ? "the embedded broker in the same JVM" : "no broker (events dropped)",
        micros(percentile(direct, 0.50)), micros(percentile(direct, 0.99)),
        micros(percentile(viaTap, 0.50)), micros(percentile(viaTap, 0.99)),
        micros(percentile(viaTap, 0.50) - percentile(direct, 0.50)), micros(percentile(viaTap, 0.99) - percentile(direct, 0.99)),
        histogram.getCount(), histogramQuantile(histogram, 0.50) * 1e6, histogramQuantile(histogram, 0.99) * 1e6);
    System.out.print(report);
    Files.writeString(Path.of("target", "tap-latency.txt"), report, StandardCharsets.UTF_8);
  }

  private static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static double micros(double nanos) {
    return nanos / 1000.0;
  }

  /** Nearest-rank percentile. */
  static double percentile(List<Long> values, double q) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** What PromQL's histogram_quantile would say: linear interpolation inside the bucket holding the quantile. */
  static double histogramQuantile(HistogramSnapshot.HistogramDataPointSnapshot point, double q) {
    ClassicHistogramBuckets buckets = point.getClassicBuckets();
    long total = 0;
    for (int i = 0; i < buckets.size(); i++) {
      total += buckets.getCount(i); // per-bucket counts in this client, not cumulative
    }
    double rank = q * total;
    long cumulative = 0;
    double lower = 0;
    for (int i = 0; i < buckets.size(); i++) {
      long inBucket = buckets.getCount(i);
      double upper = buckets.getUpperBound(i);
      if (cumulative + inBucket >= rank && inBucket > 0) {
        if (Double.isInfinite(upper)) {
          return lower; // as histogram_quantile: the highest finite bound
        }
        return lower + (upper - lower) * (rank - cumulative) / inBucket;
      }
      cumulative += inBucket;
      lower = upper;
    }
    return lower;
  }
}
