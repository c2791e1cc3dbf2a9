package io.driftwatch.producers.tap;

import com.sun.net.httpserver.HttpServer;
import io.driftwatch.producers.sdk.EventSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tap: an HTTP proxy in front of an OpenAI-compatible server that publishes the generations passing
 * through as Driftwatch token events, without the client noticing.
 *
 * <pre>{@code
 * try (TokenStreamPublisher publisher = TokenStreamPublisher.connect("localhost:9092", "driftwatch.tokens");
 *      TapServer tap = TapServer.start(TapSettings.defaults(URI.create("https://api.openai.com")), publisher,
 *          new TapMetrics(new PrometheusRegistry(), publisher::stats), new TapContext("tap", Map.of()))) {
 *   // clients use http://127.0.0.1:8787/v1 as their base URL
 * }
 * }</pre>
 *
 * <p>Give it a {@link io.driftwatch.producers.sdk.TokenStreamPublisher}: the tap publishes from the
 * threads that relay traffic, so its sink must never wait for Kafka.
 */
public final class TapServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TapServer.class);

  /** Requests waiting for a thread beyond {@code threads}; more are refused rather than queued without end. */
  private static final int QUEUED_REQUESTS = 1024;

  private final HttpServer server;
  private final ProxyHandler handler;
  private final ThreadPoolExecutor executor;
  private final TapSettings settings;
  private boolean closed;

  private TapServer(HttpServer server, ProxyHandler handler, ThreadPoolExecutor executor, TapSettings settings) {
    this.server = server;
    this.handler = handler;
    this.executor = executor;
    this.settings = settings;
  }

  /**
   * Listens on {@code settings.bindHost():settings.port()} and starts relaying.
   *
   * @throws java.net.BindException when the port is taken
   */
  public static TapServer start(TapSettings settings, EventSink sink, TapMetrics metrics, TapContext context) throws IOException {
    return start(settings, sink, metrics, context, null);
  }

  /**
   * A tap that also guards: streams for which a guarded rule trips are stopped (or, in a dry run, only
   * recorded). {@code guard} null watches only.
   */
  public static TapServer start(TapSettings settings, EventSink sink, TapMetrics metrics, TapContext context, GuardSettings guard)
      throws IOException {
    disableNagle();
    HttpClient client = HttpClient.newBuilder()
        // HTTP/1.1 end to end: what every OpenAI-compatible server speaks, and a clean byte stream to relay.
        .version(HttpClient.Version.HTTP_1_1)
        // Redirects are the client's business, as they would be without the tap.
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.connectTimeout())
        .build();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.bindHost()), settings.port()), 0);
    ThreadPoolExecutor executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUED_REQUESTS), daemonThreads());
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    ProxyHandler handler = new ProxyHandler(settings.upstreamBase(), client, sink, metrics, context, guard);
    server.createContext("/", handler);
    server.start();
    TapServer tap = new TapServer(server, handler, executor, settings);
    log.info("tap listening on {}, relaying to {}", tap.url(), settings.upstreamBase());
    return tap;
  }

  /**
   * Small writes (one SSE event) must leave at once, not wait for the previous segment's ACK: Nagle's
   * algorithm with delayed ACKs can hold a token tens of milliseconds. The JDK server reads this
   * property once, when its first instance is created in the process, so it is set before that.
   */
  public static void disableNagle() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Where clients reach the tap, e.g. {@code http://127.0.0.1:8787}. */
  public String url() {
    InetAddress address = server.getAddress().getAddress();
    // A wildcard bind has no address to show; the name it was given (0.0.0.0, ::) says what it is.
    String host = address.isAnyLocalAddress() ? settings.bindHost() : address.getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Lets requests in flight finish for up to {@code grace}, then stops: the listener and every
   * connection close, and relays still running are interrupted, their generations ending as
   * {@code disconnected}. Requests that arrive during the grace period are still served.
   */
  public synchronized void close(Duration grace) {
    if (closed) {
      return;
    }
    closed = true;
    // The JDK 17 server's own stop(delay) always waits the whole delay, busy or not, so the tap waits
    // for its own requests and then stops the server at once.
    long deadline = System.nanoTime() + grace.toNanos();
    while (handler.active() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.stop(0);
    handler.closeOpenBodies();
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("some relays did not stop within 5 s of the tap closing");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, "driftwatch-tap-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
