package io.driftwatch.cli;

import io.driftwatch.streams.view.ViewSettings;
import io.driftwatch.streams.web.WebSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The web view options shared by {@code run} and {@code demo} (a picocli mixin). */
final class WebOptions {

  @Option(names = "--no-web", description = "Do not serve the web view (nor keep its stores).")
  boolean disabled;

  @Option(names = "--web-host", paramLabel = "ADDRESS",
      description = "Address of the web view and its JSON API (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes it to the network).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--web-port", paramLabel = "PORT",
      description = "Port of the web view (default: " + WebSettings.DEFAULT_PORT + "; 0 picks a free one).")
  Integer port;

  @Option(names = "--web-advertised-host", paramLabel = "NAME",
      description = "Host name the other instances use to reach this one's web view (default: the --web-host address, "
          + "or this machine's name when that is 0.0.0.0).")
  String advertisedHost;

  @Option(names = "--view-retention", paramLabel = "TIME", converter = DurationConverter.class,
      description = "How long the view keeps a closed generation (default: ${DEFAULT-VALUE}).", defaultValue = "30m")
  Duration retention;

  /** True when the user chose the port; the demo may otherwise move off a taken default. */
  boolean portChosen() {
    return port != null;
  }

  WebSettings settings() {
    return settings(port == null ? WebSettings.DEFAULT_PORT : port);
  }

  WebSettings settings(int port) {
    if (disabled) {
      return WebSettings.DISABLED;
    }
    if (port < 0 || port > 65_535) {
      throw new UserFacingException("--web-port must be between 0 and 65535");
    }
    if (retention.isZero() || retention.isNegative()) {
      throw new UserFacingException("--view-retention must be positive, for example 30m");
    }
    return WebSettings.on(host, port).withAdvertisedHost(advertisedHost).withView(ViewSettings.DEFAULTS.withRetention(retention));
  }
}
