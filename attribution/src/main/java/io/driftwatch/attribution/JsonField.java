package io.driftwatch.attribution;

/**
 * Reads one string field from a JSON object, for JSON Lines corpora (no JSON library in this module).
 * The object is scanned, not built: the wanted member's string value is decoded (all escapes, including
 * {@code \\uXXXX} surrogate pairs) and every other member's value is skipped. Values are checked only as
 * far as needed to skip them; with duplicate keys the first wins.
 */
final class JsonField {

  private final String json;
  private int at;

  private JsonField(String json) {
    this.json = json;
  }

  /**
   * The string value of the top-level member {@code field} of the object {@code json}, or null if there
   * is no such member or its value is not a string.
   *
   * @throws IllegalArgumentException if {@code json} is not a JSON object
   */
  static String stringField(String json, String field) {
    return new JsonField(json).find(field);
  }

  private String find(String field) {
    whitespace();
    expect('{');
    whitespace();
    if (peek() == '}') {
      return null;
    }
    while (true) {
      whitespace();
      String key = string();
      whitespace();
      expect(':');
      whitespace();
      if (key.equals(field)) {
        return peek() == '"' ? string() : null;
      }
      skipValue();
      whitespace();
      char c = next();
      if (c == '}') {
        return null;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private char hex4() {
    if (at + 4 > json.length()) {
      throw error("truncated \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(json.charAt(at++), 16);
      if (digit < 0) {
        throw error("bad \\u escape");
      }
      value = value * 16 + digit;
    }
    return (char) value;
  }

  /** Skips a value of any type; nested objects and arrays by counting brackets outside strings. */
  private void skipValue() {
    char c = peek();
    if (c == '"') {
      string();
      return;
    }
    if (c != '{' && c != '[') {
      int start = at;
      while (at < json.length() && "-+.0123456789eEtrufalsn".indexOf(json.charAt(at)) >= 0) {
        at++;
      }
      if (at == start) {
        throw error("expected a value");
      }
      return;
    }
    int depth = 0;
    do {
      char d = peek();
      if (d == '"') {
        string();
        continue;
      }
      at++;
      if (d == '{' || d == '[') {
        depth++;
      } else if (d == '}' || d == ']') {
        depth--;
      }
    } while (depth > 0);
  }

  private void whitespace() {
    while (at < json.length() && " \t\r\n".indexOf(json.charAt(at)) >= 0) {
      at++;
    }
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private char peek() {
    if (at >= json.length()) {
      throw error("unexpected end");
    }
    return json.charAt(at);
  }

  private char next() {
    char c = peek();
    at++;
    return c;
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message + " at character " + at);
  }
}
