package io.driftwatch.producers.tap;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.driftwatch.producers.sdk.EventSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one request to the upstream and its response back, byte for byte, and for monitored requests
 * hands a copy of the response to a parser that publishes the generation.
 *
 * <p>The client must not be able to tell the tap is there: the request body is forwarded as received,
 * the response status, headers (except hop-by-hop ones) and body come back as the upstream sent them,
 * each piece written and flushed as soon as it is read, and a response that breaks off upstream breaks
 * off for the client too. Reading the copy happens after the piece has reached the client and can never
 * fail the relay ({@link GuardedObserver}).
 *
 * <p>Why one long class: the relay of one exchange is one sequence (request, upstream call, response
 * relay, guard stop, failure and disconnect handling) whose steps share the exchange's streams and
 * must release them on every path; the parsing, guarding and metrics it calls are classes of their own.
 */
final class ProxyHandler implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);
  private static final int BUFFER_BYTES = 16 * 1024;
  /**
   * Monitored requests larger than this (a vision request with large images) are relayed unread, so
   * what the tap holds per request stays bounded; their generations are not published.
   */
  static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  private final String upstreamBase;
  private final HttpClient client;
  private final EventSink sink;
  private final TapMetrics metrics;
  private final TapContext context;
  /** Null when the tap only watches. */
  private final GuardSettings guard;
  private final AtomicInteger active = new AtomicInteger();
  /**
   * Bodies of the responses being relayed now. A relay waiting on a silent upstream (a reasoning model
   * thinking) ignores interrupts, as the JDK's body streams do; closing its body is how the tap's close
   * ends it, so that its generations still end "disconnected" before the publisher closes.
   */
  private final Set<InputStream> openBodies = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  ProxyHandler(String upstreamBase, HttpClient client, EventSink sink, TapMetrics metrics, TapContext context, GuardSettings guard) {
    this.guard = guard;
    this.upstreamBase = upstreamBase;
    this.client = client;
    this.sink = sink;
    this.metrics = metrics;
    this.context = context;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String method = exchange.getRequestMethod();
    // The path only: the query can carry keys (some gateways take ?key=), so it is forwarded but never shown.
    String path = exchange.getRequestURI().getRawPath();
    Optional<Endpoint> endpoint = Endpoint.monitored(method, path);
    metrics.requestStarted();
    active.incrementAndGet();
    try {
      proxy(exchange, method, path, endpoint.orElse(null));
    } finally {
      active.decrementAndGet();
      // -1 when no status was sent: the tap stopped before it had one to give.
      int status = exchange.getResponseCode();
      metrics.requestFinished();
      metrics.request(path, endpoint.isPresent(), status);
      if (log.isDebugEnabled()) {
        log.debug("{} {} -> {} in {} ms; request headers: {}", method, path, status, (System.nanoTime() - started) / 1_000_000,
            HeaderPolicy.describe(exchange.getRequestHeaders()));
      }
    }
  }

  /** Requests being relayed now. */
  int active() {
    return active.get();
  }

  /** Ends every relay still running: their upstream bodies read as broken off. */
  void closeOpenBodies() {
    closing = true;
    openBodies.forEach(ProxyHandler::closeQuietly);
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException | RuntimeException e) {
      log.debug("closing a response body failed ({})", e.getClass().getSimpleName());
    }
  }

  private void proxy(HttpExchange exchange, String method, String path, Endpoint endpoint) throws IOException {
    CompletionRequest completion = null;
    HttpRequest.BodyPublisher body;
    byte[] bytes = endpoint == null || declaredLength(exchange) > MAX_REQUEST_BYTES ? null
        : exchange.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
    if (bytes != null && bytes.length <= MAX_REQUEST_BYTES) {
      // Monitored requests are JSON documents the tap must read; they are forwarded as these exact bytes.
      completion = readRequest(endpoint, bytes);
      body = HttpRequest.BodyPublishers.ofByteArray(bytes);
    } else {
      if (endpoint != null) {
        metrics.parseError("request_too_large"); // relayed as it comes, and its response too, unread
        endpoint = null;
      }
      byte[] read = bytes == null ? new byte[0] : bytes;
      body = streamedBody(exchange, () -> new SequenceInputStream(new ByteArrayInputStream(read), exchange.getRequestBody()));
    }

    HttpRequest request;
    try {
      request = upstreamRequest(exchange, method, body, endpoint != null);
    } catch (IllegalArgumentException e) {
      respondWithError(exchange, 400, GatewayError.badRequest());
      return;
    }

    HttpResponse<InputStream> response;
    try {
      response = client.send(request, LosslessBodyStream.handler());
    } catch (IOException e) {
      metrics.upstreamFailure("unreachable");
      log.warn("no response from the upstream for {} {} ({}); answered 502", method, path, e.getClass().getSimpleName());
      respondWithError(exchange, 502, GatewayError.unreachable());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the tap is shutting down
      throw new IOException("interrupted while waiting for the upstream", e);
    }
    openBodies.add(response.body());
    try {
      if (closing) {
        closeQuietly(response.body()); // the tap began closing while this request waited for its answer
      }
      GuardedStream guarded = completion == null ? null : guardedStream(completion, path, response);
      BodyObserver observer = guarded != null ? guarded.parser()
          : completion == null ? BodyObserver.NONE : observerFor(completion, path, response);
      relay(exchange, method, response, new GuardedObserver(observer, metrics), guarded);
    } finally {
      openBodies.remove(response.body());
    }
  }

  /**
   * A streamed completion the guard watches, or null: the guard acts on streams only. A response that
   * is not streamed was generated whole before its first byte reached the tap; stopping it would save
   * nothing, so it is relayed and published as without the guard (docs/tap.md, Guard).
   */
  private GuardedStream guardedStream(CompletionRequest completion, String path, HttpResponse<InputStream> response) {
    if (guard == null || response.statusCode() < 200 || response.statusCode() > 299) {
      return null;
    }
    String encoding = response.headers().firstValue("content-encoding").orElse("identity").trim();
    String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    if (!encoding.equalsIgnoreCase("identity") || !type.startsWith("text/event-stream")) {
      return null;
    }
    ResponseGuard responseGuard = new ResponseGuard(guard);
    GuardingSink guardingSink = new GuardingSink(sink, guard.inProcess(), responseGuard, metrics);
    GenerationRecorder recorder = new GenerationRecorder(guardingSink, metrics, context, completion, path, true, responseGuard);
    return new GuardedStream(new StreamingResponseParser(recorder, metrics, completion.endpoint()), recorder, responseGuard,
        completion.endpoint());
  }

  private CompletionRequest readRequest(Endpoint endpoint, byte[] bytes) {
    try {
      JsonNode json = OpenAiJson.read(bytes, 0, bytes.length);
      if (json != null && json.isObject()) {
        return CompletionRequest.from(endpoint, json);
      }
      metrics.parseError("request_shape");
    } catch (IOException | RuntimeException e) {
      metrics.parseError("request_json");
      log.debug("could not read a {} request ({}); relaying it without monitoring", endpoint.label(), e.getClass().getSimpleName());
    }
    return null;
  }

  /** The parser for a monitored response, or none when there is nothing the tap can read. */
  private BodyObserver observerFor(CompletionRequest completion, String path, HttpResponse<InputStream> response) {
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      return BodyObserver.NONE; // an API error: relayed, but no generation happened
    }
    String encoding = response.headers().firstValue("content-encoding").orElse("identity").trim();
    if (!encoding.equalsIgnoreCase("identity")) {
      metrics.parseError("content_encoding");
      return BodyObserver.NONE;
    }
    String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    if (type.startsWith("text/event-stream")) {
      return new StreamingResponseParser(new GenerationRecorder(sink, metrics, context, completion, path, true), metrics, completion.endpoint());
    }
    if (type.contains("json")) {
      return new JsonResponseParser(new GenerationRecorder(sink, metrics, context, completion, path, false), metrics,
          completion.endpoint(), JsonResponseParser.DEFAULT_MAX_BYTES);
    }
    metrics.parseError("content_type");
    return BodyObserver.NONE;
  }

  /**
   * A pass-through body, streamed as it arrives; its length is kept when the client declared one.
   *
   * @param in the request body still to be sent (the client's stream, after any bytes the tap read)
   */
  private static HttpRequest.BodyPublisher streamedBody(HttpExchange exchange, Supplier<InputStream> in) {
    long n = declaredLength(exchange);
    boolean chunked = exchange.getRequestHeaders().getFirst("Transfer-Encoding") != null;
    if (n == 0) {
      return HttpRequest.BodyPublishers.noBody();
    }
    if (n > 0) {
      return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(in), n);
    }
    return chunked ? HttpRequest.BodyPublishers.ofInputStream(in) : HttpRequest.BodyPublishers.noBody();
  }

  /** The request's Content-Length, or -1 when it has none (or an unreadable one). */
  private static long declaredLength(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private HttpRequest upstreamRequest(HttpExchange exchange, String method, HttpRequest.BodyPublisher body, boolean monitored) {
    URI incoming = exchange.getRequestURI();
    String target = upstreamBase + incoming.getRawPath() + (incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery());
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target)).method(method, body);
    Map<String, List<String>> headers = exchange.getRequestHeaders();
    Set<String> connectionTokens = HeaderPolicy.connectionTokens(headers);
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = header.getKey();
      if (!HeaderPolicy.forwarded(name, connectionTokens) || (monitored && name.equalsIgnoreCase("accept-encoding"))) {
        continue;
      }
      for (String value : header.getValue()) {
        try {
          builder.header(name, value);
        } catch (IllegalArgumentException e) {
          // java.net.http refuses a few names and malformed values; the name alone is safe to show.
          log.debug("header {} not forwarded: java.net.http does not allow it", name);
        }
      }
    }
    if (monitored) {
      // The tap must read what it relays; a compressed body could not be read on the side. Asking for
      // identity is what any client accepts, and completion bodies are small.
      builder.header("Accept-Encoding", "identity");
    }
    return builder.build();
  }

  private void relay(HttpExchange exchange, String method, HttpResponse<InputStream> response, BodyObserver observer,
      GuardedStream guarded) throws IOException {
    Map<String, List<String>> upstreamHeaders = response.headers().map();
    Set<String> connectionTokens = HeaderPolicy.connectionTokens(upstreamHeaders);
    Headers out = exchange.getResponseHeaders();
    upstreamHeaders.forEach((name, values) -> {
      if (HeaderPolicy.forwarded(name, connectionTokens)) {
        out.put(name, values);
      }
    });
    int status = response.statusCode();
    long length = response.headers().firstValueAsLong("content-length").orElse(-1);
    boolean head = method.equalsIgnoreCase("HEAD");
    boolean bodiless = head || status == 204 || status == 304 || status < 200;
    if (head && length >= 0) {
      out.set("Content-Length", Long.toString(length)); // a HEAD answer states the length of the body it omits
    }
    // Opened before the headers go out: should the client be gone already, closing the body releases the
    // upstream connection (and stops the generation) instead of leaving it stalled.
    try (InputStream in = response.body()) {
      // The JDK server's convention: -1 no body, 0 chunked (length unknown), n a fixed length.
      exchange.sendResponseHeaders(status, bodiless || length == 0 ? -1 : Math.max(length, 0));
      if (bodiless) {
        observer.complete();
        exchange.close();
        return;
      }
      if (guarded != null) {
        copyGuarded(in, exchange.getResponseBody(), observer, guarded);
      } else {
        copy(in, exchange.getResponseBody(), observer);
      }
    }
  }

  /**
   * Relays a guarded stream: whole events only, each written and flushed as soon as its last byte is
   * read (the bytes are the upstream's, unchanged), and after each write the guard is asked whether to
   * stop. A stop cancels the upstream request and ends the client's stream with {@link StopChunks}.
   */
  private void copyGuarded(InputStream in, OutputStream client, BodyObserver observer, GuardedStream guarded) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    SseBoundaries boundaries = new SseBoundaries();
    HeldBytes held = new HeldBytes();
    while (true) {
      int n;
      try {
        n = readUpstream(in, buffer, observer);
      } catch (IOException e) {
        writeQuietly(client, held); // what the client would have got without the tap, then the break
        throw e;
      }
      if (n < 0) {
        break;
      }
      long read = System.nanoTime();
      int end = boundaries.lastEnd(buffer, 0, n);
      if (end < 0 && held.size() + n <= SseParser.DEFAULT_MAX_EVENT_BYTES) {
        held.append(buffer, 0, n); // the middle of an event: it goes out whole, with its end
        continue;
      }
      if (end < 0) {
        end = n; // an event larger than any chunk: relayed as it comes, as the parser skips it too
      }
      try {
        client.write(held.bytes(), 0, held.size());
        client.write(buffer, 0, end);
        client.flush();
      } catch (IOException e) {
        metrics.clientDisconnect();
        observer.broken();
        throw e;
      }
      metrics.chunkRelayed(System.nanoTime() - read);
      observer.bytes(held.bytes(), 0, held.size());
      observer.bytes(buffer, 0, end);
      held.clear();
      held.append(buffer, end, n - end);
      if (guarded.guard().mustStop() && stop(in, client, guarded)) {
        return;
      }
    }
    try {
      client.write(held.bytes(), 0, held.size());
      observer.bytes(held.bytes(), 0, held.size());
      client.close();
    } catch (IOException e) {
      metrics.clientDisconnect();
      observer.complete();
      throw e;
    }
    observer.complete();
  }

  /**
   * Acts on the guard's decision: cancels the upstream request (closing its body closes the connection,
   * so the model server stops generating), closes the open generations as stopped, and ends the client's
   * stream cleanly. Returns false when nothing was left to stop: the tripping choice had already ended
   * (its end records the trip as ended_first), so the other choices of an {@code n > 1} request, which
   * tripped nothing, stream on.
   */
  private boolean stop(InputStream in, OutputStream client, GuardedStream guarded) throws IOException {
    StopDecision decision = guarded.guard().decision();
    GenerationRecorder recorder = guarded.recorder();
    List<Integer> choices = recorder.openChoices();
    if (choices.isEmpty()) {
      return false;
    }
    if (!recorder.isOpen(decision.generationId())) {
      guarded.guard().release(decision); // its end recorded it (ended_first); the other choices stay guarded
      return false;
    }
    try {
      in.close();
    } catch (IOException e) {
      log.debug("closing the upstream response failed ({}); the connection is dropped anyway", e.getClass().getSimpleName());
    }
    long decisionNanos = System.nanoTime() - decision.decidedNanos();
    String finishReason = guarded.guard().settings().finishReason();
    byte[] ending = StopChunks.ending(guarded.endpoint(), recorder.responseId(), recorder.responseModel(), choices, finishReason,
        decision, sink.clock().instant().getEpochSecond());
    try {
      io.driftwatch.contract.GenerationEvent.Guard record = recorder.closeStopped(decision, finishReason);
      metrics.guardStopped(decision, record == null ? 0 : record.tokensAfter(), record == null ? null : record.maxTokensLeft(),
          decisionNanos);
    } catch (RuntimeException e) {
      metrics.guardError(); // publishing the stop failed; the client's stream still ends cleanly
      log.warn("recording a guard stop failed with {}", e.getClass().getName());
    }
    log.info("guard stopped generation {}: rule {} tripped at token {} ({} path)", decision.generationId(), decision.rule(),
        decision.seq(), decision.path());
    try {
      client.write(ending);
      client.flush();
      client.close();
    } catch (IOException e) {
      metrics.clientDisconnect();
      throw e;
    }
    return true;
  }

  private static void writeQuietly(OutputStream client, HeldBytes held) {
    try {
      client.write(held.bytes(), 0, held.size());
      client.flush();
    } catch (IOException ignored) {
      // the client is gone too; the relay is ending either way
    }
  }

  /** The next piece of the upstream body; a broken read is counted and told to the observer, then rethrown. */
  private int readUpstream(InputStream in, byte[] buffer, BodyObserver observer) throws IOException {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      if (!closing) {
        metrics.upstreamFailure("broken"); // not the upstream's doing when the tap closed the body
      }
      observer.broken();
      log.debug("the upstream response broke off ({})", e.getClass().getSimpleName());
      throw e;
    }
  }

  /** Relays the body piece by piece, each written and flushed before the next read. */
  private void copy(InputStream in, OutputStream client, BodyObserver observer) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    while (true) {
      // A broken read leaves without closing the exchange, which drops the client connection mid-body,
      // so the client sees the break as it would without the tap, instead of a body that looks complete.
      int n = readUpstream(in, buffer, observer);
      if (n < 0) {
        break;
      }
      long read = System.nanoTime();
      try {
        client.write(buffer, 0, n);
        client.flush();
      } catch (IOException e) {
        metrics.clientDisconnect();
        observer.broken();
        throw e; // closing `in` on the way out cancels the upstream request
      }
      metrics.chunkRelayed(System.nanoTime() - read);
      observer.bytes(buffer, 0, n);
    }
    try {
      client.close();
    } catch (IOException e) {
      metrics.clientDisconnect();
      observer.complete(); // the upstream delivered the whole body; the generation is complete
      throw e;
    }
    observer.complete();
  }

  private static void respondWithError(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
