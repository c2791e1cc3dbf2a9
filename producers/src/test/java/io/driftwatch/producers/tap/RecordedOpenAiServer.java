package io.driftwatch.producers.tap;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * A real HTTP server that speaks the OpenAI protocol by replaying the recorded responses of
 * src/test/resources/tap/: streams event by event with a delay between events, JSON bodies with a
 * Content-Length, errors with their status. What to answer is chosen by request headers, which a proxy
 * relays like any other:
 *
 * <ul>
 *   <li>{@code X-Replay: <fixture>}: the recorded body to answer with (default: models.json for GET /v1/models)
 *   <li>{@code X-Replay-Status: <code>}: answer the fixture with this status
 *   <li>{@code X-Replay-Break-After: <n>}: send n events and half of the next, then drop the connection
 *   <li>{@code X-Replay-Echo-Auth: true}: insert a malformed event quoting the Authorization header halfway
 *   <li>{@code X-Stream-Id: <id>}: remember when each event was flushed, for latency measurements
 * </ul>
 *
 * Every request is kept, headers and body bytes included, for the tests to check what arrived.
 */
final class RecordedOpenAiServer implements AutoCloseable {

  record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  /** Per X-Stream-Id, System.nanoTime() right after each event was flushed. */
  final Map<String, List<Long>> eventFlushedNanos = new ConcurrentHashMap<>();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "recorded-openai");
    t.setDaemon(true);
    return t;
  });
  private final Duration eventDelay;
  private final boolean splitEvents;

  /**
   * @param eventDelay pause before each streamed event, like a model generating
   * @param splitEvents write each event in two flushed halves, so relays see events cut mid-line
   */
  RecordedOpenAiServer(Duration eventDelay, boolean splitEvents) throws IOException {
    this.eventDelay = eventDelay;
    this.splitEvents = splitEvents;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Received last() {
    return received.get(received.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    URI uri = exchange.getRequestURI();
    received.add(new Received(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
    String fixture = exchange.getRequestHeaders().getFirst("X-Replay");
    if (fixture == null && uri.getRawPath().equals("/v1/models")) {
      fixture = "models.json";
    }
    exchange.getResponseHeaders().set("x-request-id", "req_" + Integer.toHexString(received.size()));
    exchange.getResponseHeaders().set("openai-processing-ms", "187");
    if (fixture == null) {
      byte[] answer = ("{\"object\":\"list\",\"received_bytes\":" + body.length + "}").getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
      return;
    }
    String status = exchange.getRequestHeaders().getFirst("X-Replay-Status");
    if (fixture.endsWith(".sse")) {
      stream(exchange, fixture);
    } else {
      byte[] answer = Fixtures.bytes(fixture);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status == null ? 200 : Integer.parseInt(status), answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private void stream(HttpExchange exchange, String fixture) throws IOException {
    List<String> events = events(Fixtures.text(fixture));
    String breakAfter = exchange.getRequestHeaders().getFirst("X-Replay-Break-After");
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if ("true".equals(exchange.getRequestHeaders().getFirst("X-Replay-Echo-Auth"))) {
      events.add(events.size() / 2, "data: {\"echo\":\"" + authorization + "\n\n");
    }
    String streamId = exchange.getRequestHeaders().getFirst("X-Stream-Id");
    List<Long> flushed = new ArrayList<>();
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < events.size(); i++) {
      byte[] event = events.get(i).getBytes(UTF_8);
      LockSupport.parkNanos(eventDelay.toNanos());
      if (breakAfter != null && i == Integer.parseInt(breakAfter)) {
        out.write(event, 0, event.length / 2);
        out.flush();
        // Leaving the handler with an exception makes the JDK server drop the connection mid-body.
        throw new IOException("the recorded server breaks off here on purpose");
      }
      if (splitEvents) {
        out.write(event, 0, event.length / 2);
        out.flush();
        out.write(event, event.length / 2, event.length - event.length / 2);
      } else {
        out.write(event);
      }
      out.flush();
      flushed.add(System.nanoTime());
    }
    if (streamId != null) {
      eventFlushedNanos.put(streamId, flushed);
    }
    out.close();
  }

  /** A recorded stream cut into its events, each with its terminating blank line. */
  static List<String> events(String stream) {
    List<String> out = new ArrayList<>();
    int at = 0;
    while (at < stream.length()) {
      int end = stream.indexOf("\n\n", at);
      end = end < 0 ? stream.length() : end + 2;
      out.add(stream.substring(at, end));
      at = end;
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
