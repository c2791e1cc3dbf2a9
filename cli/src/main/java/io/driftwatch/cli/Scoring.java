package io.driftwatch.cli;

import io.driftwatch.scoring.alert.AlertRules;
import io.driftwatch.scoring.engine.ScoringSettings;
import java.nio.file.Path;

/** Scoring settings from the command line: the defaults, with alert rules from a file when given. */
final class Scoring {

  private Scoring() {}

  static ScoringSettings settings(Path alertRules) {
    if (alertRules == null) {
      return ScoringSettings.DEFAULTS;
    }
    try {
      return ScoringSettings.DEFAULTS.withAlertRules(AlertRules.load(alertRules));
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage());
    }
  }
}
