package io.driftwatch.producers.tap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that reads a response as it streams, the way an SDK reads server-sent events, and notes
 * when each event (up to its blank line) was complete.
 */
final class StreamingClient {

  /**
   * @param failure set when the body broke off; {@code body} then holds what arrived before
   * @param eventNanos System.nanoTime() when each "\n\n" arrived
   */
  record Response(int status, HttpHeaders headers, byte[] body, List<Long> eventNanos, IOException failure) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  Response send(HttpRequest request) throws IOException, InterruptedException {
    return send(request, Integer.MAX_VALUE);
  }

  /** Reads at most {@code maxEvents} events, then closes the body as a client that goes away. */
  Response send(HttpRequest request, int maxEvents) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = client.send(request, LosslessBodyStream.handler());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<Long> eventNanos = new ArrayList<>();
    IOException failure = null;
    byte previous = 0;
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = response.body()) {
      int n;
      while (eventNanos.size() < maxEvents && (n = in.read(buffer)) >= 0) {
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n' && previous == '\n') {
            eventNanos.add(now);
          }
          previous = buffer[i];
        }
        body.write(buffer, 0, n);
      }
    } catch (IOException e) {
      failure = e;
    }
    return new Response(response.statusCode(), response.headers(), body.toByteArray(), eventNanos, failure);
  }
}
