package io.driftwatch.producers.tap;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the tap listens and where it forwards.
 *
 * @param upstream base URL of the OpenAI-compatible server; the client's path is appended to it, so
 *     {@code https://api.openai.com} serves clients whose base URL is {@code http://127.0.0.1:8787/v1}
 * @param bindHost address to listen on; loopback by default, since clients send credentials in the clear
 * @param port port to listen on; 0 picks a free one
 * @param threads requests relayed at once (each streaming response holds one thread while it streams)
 * @param connectTimeout how long to wait for a connection to the upstream before answering 502
 */
public record TapSettings(URI upstream, String bindHost, int port, int threads, Duration connectTimeout) {

  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8787;
  public static final int DEFAULT_THREADS = 256;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public TapSettings {
    upstream = checkUpstream(upstream);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("the port must be between 0 and 65535, got " + port);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("the tap needs at least one thread, got " + threads);
    }
  }

  public static TapSettings defaults(URI upstream) {
    return new TapSettings(upstream, DEFAULT_BIND, DEFAULT_PORT, DEFAULT_THREADS, DEFAULT_CONNECT_TIMEOUT);
  }

  public TapSettings withBind(String host, int port) {
    return new TapSettings(upstream, host, port, threads, connectTimeout);
  }

  public TapSettings withThreads(int threads) {
    return new TapSettings(upstream, bindHost, port, threads, connectTimeout);
  }

  /** The upstream URL with what a request's path is appended to: scheme, authority and a path without trailing slash. */
  String upstreamBase() {
    String path = upstream.getRawPath() == null ? "" : upstream.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return upstream.getScheme().toLowerCase(Locale.ROOT) + "://" + upstream.getRawAuthority() + path;
  }

  private static URI checkUpstream(URI upstream) {
    // Messages describe the problem without echoing the URL, which could carry credentials.
    if (upstream == null || upstream.getScheme() == null || upstream.getRawAuthority() == null || upstream.getHost() == null) {
      throw new IllegalArgumentException("the upstream must be an absolute URL such as https://api.openai.com");
    }
    String scheme = upstream.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("the upstream must be an http:// or https:// URL, not " + scheme + "://");
    }
    if (upstream.getRawUserInfo() != null) {
      throw new IllegalArgumentException("the upstream URL must not contain credentials; clients send theirs in headers");
    }
    if (upstream.getRawQuery() != null || upstream.getRawFragment() != null) {
      throw new IllegalArgumentException("the upstream URL must not have a query or fragment; each request's own query is forwarded");
    }
    return upstream;
  }
}
