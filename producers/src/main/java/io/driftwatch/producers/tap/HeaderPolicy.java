package io.driftwatch.producers.tap;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which headers cross the tap, and which may ever be shown.
 *
 * <p>Hop-by-hop headers (RFC 9110 section 7.6.1) describe one connection, not the message, so a proxy
 * must not copy them; the connection on the other side gets its own. Content-Length is recomputed by
 * whichever side writes the body, Host is set by the upstream client from the upstream URL, and Expect
 * is answered by the tap's server itself.
 *
 * <p>Credentials travel upstream unchanged but are never logged, published or used as attributes. The
 * tap publishes no header at all; this class also guards the one place that describes headers, debug
 * logging, by redacting every value whose name looks like a credential.
 */
public final class HeaderPolicy {

  private static final Set<String> HOP_BY_HOP = caseInsensitive(List.of(
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
      "transfer-encoding", "upgrade"));

  /** Set by the sending side itself; java.net.http also refuses them from callers. */
  private static final Set<String> RECOMPUTED = caseInsensitive(List.of("host", "content-length", "expect"));

  /** Name fragments that mark a header as carrying a credential: authorization, api-key, x-api-key, cookies, tokens. */
  private static final List<String> SECRET_FRAGMENTS =
      List.of("auth", "key", "token", "secret", "cookie", "session", "password", "credential", "signature");

  private HeaderPolicy() {}

  /**
   * Whether a header of the incoming side is copied to the outgoing side. {@code connectionTokens} are
   * the header names the message's own Connection header lists, which are hop-by-hop for that message.
   */
  public static boolean forwarded(String name, Set<String> connectionTokens) {
    return !name.startsWith(":") && !HOP_BY_HOP.contains(name) && !RECOMPUTED.contains(name) && !connectionTokens.contains(name);
  }

  /** The header names a message's Connection header lists (case-insensitive), e.g. {@code Connection: keep-alive, X-Foo}. */
  public static Set<String> connectionTokens(Map<String, List<String>> headers) {
    Set<String> tokens = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> {
      if ("connection".equalsIgnoreCase(name) && values != null) {
        for (String value : values) {
          for (String token : value.split(",")) {
            if (!token.isBlank()) {
              tokens.add(token.trim());
            }
          }
        }
      }
    });
    return tokens;
  }

  /** Whether a header's value may be a credential and so must never be shown anywhere. */
  public static boolean secret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return SECRET_FRAGMENTS.stream().anyMatch(lower::contains);
  }

  /** Headers for a debug log line: names always, values only where they cannot be credentials. */
  public static String describe(Map<String, List<String>> headers) {
    return headers.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(String.CASE_INSENSITIVE_ORDER))
        .map(e -> e.getKey().toLowerCase(Locale.ROOT) + "=" + (secret(e.getKey()) ? "<redacted>" : String.join(",", e.getValue())))
        .collect(Collectors.joining(", "));
  }

  private static Set<String> caseInsensitive(List<String> names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(names);
    return Collections.unmodifiableSet(set);
  }
}
