package io.driftwatch.streams.web;

import io.driftwatch.scoring.baseline.BaselineSettings;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web view's HTTP server: the pages under {@code /}, the JSON API under {@code /api}
 * (docs/web.md). It binds before the streams application starts, because the address it got is what
 * the instance advertises to the others ({@code application.server}).
 *
 * <p>Every response forbids inline scripts and sniffing (Content-Security-Policy, nosniff): model text
 * is untrusted, and the pages put it in the document only as text nodes.
 */
public final class WebServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final WebSettings settings;
  private final HttpServer server;
  private final ExecutorService executor;

  private WebServer(WebSettings settings, HttpServer server, ExecutorService executor) {
    this.settings = settings;
    this.server = server;
    this.executor = executor;
  }

  /** Binds the port (so that it is known and taken) without serving yet. */
  public static WebServer bind(WebSettings settings) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
      AtomicInteger n = new AtomicInteger();
      ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "driftwatch-web-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      return new WebServer(settings, server, executor);
    } catch (BindException e) {
      throw new IllegalStateException("cannot serve the web view on " + settings.host() + ":" + settings.port()
          + ": the port is in use; choose another with --web-port, or turn the view off with --no-web", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serve the web view on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
  }

  /** How other instances reach this one: the advertised host and the bound port. */
  public HostInfo advertised() {
    return new HostInfo(settings.advertised(), port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The address to open in a browser. */
  public String url() {
    String host = settings.host().equals("0.0.0.0") || settings.host().equals("::") ? settings.advertised() : settings.host();
    return "http://" + host + ":" + port() + "/";
  }

  /** Starts serving the view of the given application, whose stores it queries. */
  public void start(KafkaStreams streams) {
    start(streams, BaselineSettings.DEFAULTS);
  }

  /** @param baseline the monitor's baseline settings: what the baselines page measures warm-up against */
  public void start(KafkaStreams streams, BaselineSettings baseline) {
    start(streams, baseline, java.util.Optional.empty());
  }

  /** @param radius what this instance's live radius probe measured, when it runs */
  public void start(KafkaStreams streams, BaselineSettings baseline, java.util.Optional<io.driftwatch.streams.probe.RadiusView> radius) {
    Api api = new Api(new LocalViews(streams, baseline), new Peers(streams, advertised()), radius);
    server.createContext("/api/", exchange -> handle(exchange, () -> api.handle(exchange)));
    server.createContext("/", exchange -> handle(exchange, () -> serveAsset(exchange)));
    server.start();
    log.info("web view on {}", url());
  }

  interface Handler {
    void run() throws IOException;
  }

  private static void handle(HttpExchange exchange, Handler handler) {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      handler.run();
    } catch (IOException | RuntimeException e) {
      log.debug("web request {} failed: {}", exchange.getRequestURI(), e.toString());
    }
  }

  private static void serveAsset(HttpExchange exchange) throws IOException {
    var asset = StaticAssets.find(exchange.getRequestURI().getPath());
    if (asset.isEmpty()) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    send(exchange, 200, asset.get().contentType(), StaticAssets.read(asset.get()));
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
