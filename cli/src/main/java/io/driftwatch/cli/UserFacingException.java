package io.driftwatch.cli;

/** A problem the user can fix (a busy port, a bad flag value); printed as one line, exit status 1. */
public final class UserFacingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserFacingException(String message) {
    super(message);
  }
}
