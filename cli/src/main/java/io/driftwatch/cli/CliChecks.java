package io.driftwatch.cli;

import java.time.Duration;

/** Range checks of option values, each failing with a one-line error that names the option. */
final class CliChecks {

  private CliChecks() {}

  static void positive(String option, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new UserFacingException(option + " must be longer than 0, got " + value.toString().substring(2).toLowerCase());
    }
  }

  /**
   * The API key in the environment variable an option names. The value given is echoed in an error only
   * when it looks like a variable's name: given the key itself by mistake, the error must not print it.
   */
  static String apiKeyFromEnv(String option, String variable) {
    if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new UserFacingException(option + " takes the name of an environment variable that holds the key (e.g. OPENAI_API_KEY), "
          + "not the key itself");
    }
    String key = System.getenv(variable);
    if (key == null || key.isBlank()) {
      throw new UserFacingException(option + " " + variable + ": that environment variable is not set or empty");
    }
    return key;
  }

  static void port(String option, int value) {
    if (value < 0 || value > 65_535) {
      throw new UserFacingException(option + " must be a port from 0 to 65535, got " + value);
    }
  }
}
