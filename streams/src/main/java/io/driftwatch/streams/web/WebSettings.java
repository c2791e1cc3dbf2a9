package io.driftwatch.streams.web;

import io.driftwatch.streams.view.ViewSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the web view and its JSON API are served, and what they keep.
 *
 * @param enabled false: no web server, and no view stores in the topology
 * @param host address to bind (127.0.0.1 by default: exposing it is a decision)
 * @param port port to bind; 0 picks a free one
 * @param advertisedHost the name other instances use to reach this one; null: the bound address, or
 *     this machine's host name when bound to all addresses
 * @param view what the view keeps per generation and for how long
 */
public record WebSettings(boolean enabled, String host, int port, String advertisedHost, ViewSettings view) {

  public static final int DEFAULT_PORT = 8088;
  public static final WebSettings DISABLED = new WebSettings(false, "127.0.0.1", DEFAULT_PORT, null, ViewSettings.DEFAULTS);

  /** Served on {@code host:port} with the default view limits. */
  public static WebSettings on(String host, int port) {
    return new WebSettings(true, host, port, null, ViewSettings.DEFAULTS);
  }

  public WebSettings withAdvertisedHost(String name) {
    return new WebSettings(enabled, host, port, name, view);
  }

  public WebSettings withView(ViewSettings v) {
    return new WebSettings(enabled, host, port, advertisedHost, v);
  }

  /** The host name to advertise to other instances. */
  String advertised() {
    if (advertisedHost != null && !advertisedHost.isBlank()) {
      return advertisedHost;
    }
    if (host.equals("0.0.0.0") || host.equals("::")) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "localhost";
      }
    }
    return host;
  }
}
