package io.driftwatch.scoring.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.contract.EventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@link ScoringSettings} from a JSON file whose fields override the defaults, in snake_case
 * (for example {@code {"window_sentences": 6, "alert_rules": [...]}}); fields left out keep their
 * default. An unknown field is an error, so that a typo does not silently keep a default.
 */
public final class ScoringConfig {

  private ScoringConfig() {}

  public static ScoringSettings load(Path file) {
    JsonNode overrides;
    try {
      overrides = EventCodec.MAPPER.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read scoring settings from " + file + ": " + e.getMessage(), e);
    }
    if (!(overrides instanceof ObjectNode given)) {
      throw new IllegalArgumentException("scoring settings in " + file + " must be a JSON object");
    }
    ObjectNode merged = EventCodec.MAPPER.valueToTree(ScoringSettings.DEFAULTS);
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> names = given.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!merged.has(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown scoring settings in " + file + ": " + unknown + "; known: " + fieldNames(merged));
    }
    merged.setAll(given);
    try {
      return EventCodec.MAPPER.treeToValue(merged, ScoringSettings.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid scoring settings in " + file + ": " + e.getMessage(), e);
    }
  }

  private static Set<String> fieldNames(ObjectNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
