package io.driftwatch.cli;

import io.driftwatch.scoring.alert.AlertRules;
import io.driftwatch.scoring.engine.ScoringConfig;
import io.driftwatch.scoring.engine.ScoringSettings;
import java.nio.file.Path;

/** Scoring settings from the command line: defaults, a settings file, and alert rules from a file. */
final class Scoring {

  private Scoring() {}

  /**
   * @param config a JSON file of settings overriding the defaults, or null
   * @param alertRules a JSON file of alert rules replacing those of the settings, or null
   */
  static ScoringSettings settings(Path config, Path alertRules) {
    try {
      ScoringSettings settings = config == null ? ScoringSettings.DEFAULTS : ScoringConfig.load(config);
      return alertRules == null ? settings : settings.withAlertRules(AlertRules.load(alertRules));
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage());
    }
  }
}
