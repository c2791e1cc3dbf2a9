package io.driftwatch.streams.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The uPlot WebJar version the build pinned (the parent pom's uplot.version, filtered in at build time). */
final class UplotVersion {

  static final String VERSION = read();

  private UplotVersion() {}

  private static String read() {
    try (InputStream in = UplotVersion.class.getResourceAsStream("vendor.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("uplot.version");
    } catch (IOException | NullPointerException e) {
      throw new UncheckedIOException(new IOException("vendor.properties is missing from the jar", e));
    }
  }
}
