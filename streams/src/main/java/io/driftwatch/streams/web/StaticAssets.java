package io.driftwatch.streams.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The pages, scripts and styles of the web view: a fixed list served from the classpath, so no
 * request path ever reaches the file system. The chart library comes from its WebJar (uPlot, MIT
 * licence, pinned in the parent pom).
 */
final class StaticAssets {

  private static final String OWN = "/io/driftwatch/streams/web/static/";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UplotVersion.VERSION + "/";

  record Asset(String resource, String contentType) {}

  private static final Map<String, Asset> ASSETS = Map.ofEntries(
      Map.entry("/", new Asset(OWN + "index.html", "text/html; charset=utf-8")),
      Map.entry("/generation", new Asset(OWN + "generation.html", "text/html; charset=utf-8")),
      Map.entry("/runbook", new Asset(OWN + "runbook.html", "text/html; charset=utf-8")),
      Map.entry("/compare", new Asset(OWN + "compare.html", "text/html; charset=utf-8")),
      Map.entry("/static/compare.js", new Asset(OWN + "compare.js", "text/javascript; charset=utf-8")),
      Map.entry("/runbook.md", new Asset("/io/driftwatch/streams/web/runbook/runbook.md", "text/markdown; charset=utf-8")),
      Map.entry("/static/runbook.js", new Asset(OWN + "runbook.js", "text/javascript; charset=utf-8")),
      Map.entry("/static/app.css", new Asset(OWN + "app.css", "text/css; charset=utf-8")),
      Map.entry("/static/common.js", new Asset(OWN + "common.js", "text/javascript; charset=utf-8")),
      Map.entry("/static/overview.js", new Asset(OWN + "overview.js", "text/javascript; charset=utf-8")),
      Map.entry("/static/generation.js", new Asset(OWN + "generation.js", "text/javascript; charset=utf-8")),
      Map.entry("/static/favicon.svg", new Asset(OWN + "favicon.svg", "image/svg+xml")),
      Map.entry("/vendor/uplot/uPlot.iife.min.js", new Asset(UPLOT + "dist/uPlot.iife.min.js", "text/javascript; charset=utf-8")),
      Map.entry("/vendor/uplot/uPlot.min.css", new Asset(UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8")),
      Map.entry("/vendor/uplot/LICENSE", new Asset(UPLOT + "LICENSE", "text/plain; charset=utf-8")));

  private StaticAssets() {}

  static Optional<Asset> find(String path) {
    return Optional.ofNullable(ASSETS.get(path));
  }

  static byte[] read(Asset asset) throws IOException {
    try (InputStream in = StaticAssets.class.getResourceAsStream(asset.resource())) {
      if (in == null) {
        throw new IOException("missing from the jar: " + asset.resource());
      }
      return in.readAllBytes();
    }
  }
}
