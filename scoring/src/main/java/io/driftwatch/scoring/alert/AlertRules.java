package io.driftwatch.scoring.alert;

import com.fasterxml.jackson.core.type.TypeReference;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.Score;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads alert rules from a JSON file: an array of objects with {@code name}, {@code score},
 * {@code fire_at}, {@code clear_below}, {@code for_sentences} and {@code clear_sentences}.
 * See docs/scores.md for the default rules and an example file.
 */
public final class AlertRules {

  private AlertRules() {}

  public static List<AlertRule> load(Path file) {
    List<AlertRule> rules;
    try {
      rules = EventCodec.MAPPER.readValue(Files.readAllBytes(file), new TypeReference<List<AlertRule>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read alert rules from " + file + ": " + e.getMessage(), e);
    }
    Set<String> names = new HashSet<>();
    for (AlertRule rule : rules) {
      if (rule == null) {
        throw new IllegalArgumentException("alert rules file " + file + " has an empty entry");
      }
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException("alert rules file " + file + " names rule " + rule.name() + " twice");
      }
      if (!Score.isKnown(rule.score())) {
        // A rule on a name no record carries would never fire, and nothing would say why.
        throw new IllegalArgumentException("alert rule " + rule.name() + " in " + file + " watches " + rule.score()
            + ", which is not a score (the scores are listed in docs/scores.md)");
      }
    }
    return List.copyOf(rules);
  }
}
