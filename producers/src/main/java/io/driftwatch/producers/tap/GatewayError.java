package io.driftwatch.producers.tap;

import java.nio.charset.StandardCharsets;

/**
 * The tap's own error responses, in OpenAI's error shape so that clients report them like any API
 * error. The messages are fixed texts: nothing from the request or the failure (which could name
 * hosts or quote input) goes into them.
 */
final class GatewayError {

  private GatewayError() {}

  /** 502: no response from the upstream (refused, timed out, reset before the status line). */
  static byte[] unreachable() {
    return body("The Driftwatch tap could not get a response from the upstream server.", "upstream_unreachable");
  }

  /** 400: a request the tap cannot forward (its target does not form a valid upstream URL). */
  static byte[] badRequest() {
    return body("The Driftwatch tap could not forward this request: its path does not form a valid upstream URL.", "bad_request");
  }

  private static byte[] body(String message, String code) {
    return ("{\"error\":{\"message\":\"" + message + "\",\"type\":\"driftwatch_tap_error\",\"param\":null,\"code\":\"" + code + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
