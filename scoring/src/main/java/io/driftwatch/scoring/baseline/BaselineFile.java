package io.driftwatch.scoring.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.contract.EventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file of baselines made offline by {@code driftwatch calibrate} and loaded by
 * {@code driftwatch run --baseline}: JSON, by model, each baseline's binary form in base64 beside its
 * quantiles, which are there for people to read and are ignored on loading.
 *
 * <pre>{"format": "driftwatch-baselines", "version": 1, "models": {"m": {"generations": 500,
 *   "quantiles": {"topic_shift": {"50": 0.1, ...}}, "sketch": "AQAAAfQ..."}}}</pre>
 */
public final class BaselineFile {

  static final String FORMAT = "driftwatch-baselines";
  static final int VERSION = 1;

  private BaselineFile() {}

  public static void write(Path file, Map<String, ModelBaseline> baselines) throws IOException {
    ObjectNode root = EventCodec.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode models = root.putObject("models");
    for (Map.Entry<String, ModelBaseline> e : new TreeMap<>(baselines).entrySet()) {
      ObjectNode model = models.putObject(e.getKey());
      model.put("generations", e.getValue().generations());
      ObjectNode quantiles = model.putObject("quantiles");
      for (Map.Entry<String, ScoreSketch> s : e.getValue().sketches().entrySet()) {
        ObjectNode q = quantiles.putObject(s.getKey());
        q.put("values", s.getValue().count());
        for (double p : BaselineStatus.PERCENTILES) {
          q.put(Baselines.label(p), s.getValue().quantile(p));
        }
      }
      model.put("sketch", Base64.getEncoder().encodeToString(e.getValue().encode()));
    }
    Files.write(file, EventCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  public static Map<String, ModelBaseline> read(Path file) {
    JsonNode root;
    try {
      root = EventCodec.MAPPER.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read baselines from " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException(file + " is not a baselines file of version " + VERSION
          + " (made by driftwatch calibrate; it starts {\"format\": \"" + FORMAT + "\", \"version\": " + VERSION + "})");
    }
    Map<String, ModelBaseline> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("models").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String sketch = e.getValue().path("sketch").asText(null);
      if (sketch == null) {
        throw new IllegalArgumentException("baselines file " + file + ": model " + e.getKey() + " has no sketch");
      }
      try {
        out.put(e.getKey(), ModelBaseline.decode(Base64.getDecoder().decode(sketch)));
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException("baselines file " + file + ": model " + e.getKey() + ": " + bad.getMessage(), bad);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("baselines file " + file + " holds no model");
    }
    return out;
  }
}
