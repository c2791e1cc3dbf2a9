package io.driftwatch.cli;

import io.driftwatch.scoring.alert.AlertRules;
import io.driftwatch.scoring.engine.ScoringConfig;
import io.driftwatch.scoring.engine.ScoringSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The scoring options shared by {@code run}, {@code demo} and {@code score} (a picocli mixin). */
final class ScoringOptions {

  @Option(names = "--alert-rules", paramLabel = "FILE", description = "Alert rules as JSON (default: the built-in rules, see docs/scores.md).")
  Path alertRules;

  @Option(names = "--scoring-config", paramLabel = "FILE",
      description = "Scoring settings as JSON, overriding the defaults field by field (docs/scores.md).")
  Path scoringConfig;

  /** The defaults, overridden by the settings file, with the alert rules file's rules when given. */
  ScoringSettings settings() {
    try {
      ScoringSettings settings = scoringConfig == null ? ScoringSettings.DEFAULTS : ScoringConfig.load(scoringConfig);
      return alertRules == null ? settings : settings.withAlertRules(AlertRules.load(alertRules));
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage());
    }
  }
}
