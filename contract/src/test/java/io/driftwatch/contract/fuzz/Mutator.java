package io.driftwatch.contract.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Breaks the JSON of a valid event in the ways producers and networks break records: at the JSON level
 * (a field deleted, set to null or to a value of the wrong type, huge numbers, NaN and Infinity, deep
 * nesting, huge strings, duplicated keys, wrong event type) and at the byte level (flipped bits,
 * truncation, invalid UTF-8, stray bytes). Deterministic for a given {@link Random}; each result says
 * what was done, for the failure message.
 */
public final class Mutator {

  /** A mutated record and the mutations applied, in order. */
  public record Mutated(byte[] bytes, List<String> applied) {
    @Override
    public String toString() {
      return applied + " -> " + preview(bytes);
    }
  }

  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] RAW_NUMBERS = {
      "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "9223372036854775808", "-9223372036854775809",
      "123456789012345678901234567890123456789", "2147483648", "-0", "-0.0", "0.5", "1.0", "00", "+1", ".5", "0x10",
      "1" + "0".repeat(1200), "true", "null", "\"1\"", "[]", "{}"};

  private Mutator() {}

  /** One to three mutations of {@code json}. */
  public static Mutated mutate(byte[] json, Random r) {
    byte[] bytes = json;
    List<String> applied = new ArrayList<>();
    for (int n = 1 + r.nextInt(3); n > 0; n--) {
      int kind = r.nextInt(14);
      try {
        bytes = switch (kind) {
          case 0 -> deleteField(bytes, r, applied);
          case 1 -> setField(bytes, r, applied, NODES.nullNode(), "null");
          case 2 -> setField(bytes, r, applied, wrongType(r), "wrong type");
          case 3 -> rawValue(bytes, r, applied);
          case 4 -> deepNesting(bytes, r, applied);
          case 5 -> hugeString(bytes, r, applied);
          case 6 -> duplicateKey(bytes, r, applied);
          case 7 -> setType(bytes, r, applied);
          case 8 -> flipBytes(bytes, r, applied);
          case 9 -> truncate(bytes, r, applied);
          case 10 -> invalidUtf8(bytes, r, applied);
          case 11 -> spliceBytes(bytes, r, applied);
          case 12 -> setField(bytes, r, applied, NODES.textNode(FuzzEvents.randomString(r, r.nextInt(20))), "random text");
          default -> unknownField(bytes, r, applied);
        };
      } catch (IOException e) {
        // An earlier mutation left no JSON to work on: fall back to the bytes.
        bytes = flipBytes(bytes, r, applied);
      }
    }
    return new Mutated(bytes, applied);
  }

  private static ObjectNode tree(byte[] bytes) throws IOException {
    JsonNode node = PLAIN.readTree(bytes);
    if (!(node instanceof ObjectNode object)) {
      throw new IOException("not an object");
    }
    return object;
  }

  private static byte[] write(JsonNode node) throws IOException {
    return PLAIN.writeValueAsBytes(node);
  }

  /** Every object in the tree, the root first. */
  private static List<ObjectNode> objects(JsonNode node, List<ObjectNode> out) {
    if (node instanceof ObjectNode o) {
      out.add(o);
    }
    node.elements().forEachRemaining(child -> objects(child, out));
    return out;
  }

  private static ObjectNode someObject(ObjectNode root, Random r) {
    List<ObjectNode> all = objects(root, new ArrayList<>());
    return r.nextInt(3) == 0 ? all.get(r.nextInt(all.size())) : root;
  }

  private static String someField(ObjectNode object, Random r) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names.isEmpty() ? "text" : names.get(r.nextInt(names.size()));
  }

  private static byte[] deleteField(byte[] bytes, Random r, List<String> applied) throws IOException {
    ObjectNode root = tree(bytes);
    ObjectNode target = someObject(root, r);
    String field = someField(target, r);
    target.remove(field);
    applied.add("delete " + field);
    return write(root);
  }

  private static byte[] setField(byte[] bytes, Random r, List<String> applied, JsonNode value, String what)
      throws IOException {
    ObjectNode root = tree(bytes);
    ObjectNode target = someObject(root, r);
    String field = someField(target, r);
    target.set(field, value);
    applied.add(what + " for " + field);
    return write(root);
  }

  private static JsonNode wrongType(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> NODES.textNode("oops");
      case 1 -> NODES.numberNode(r.nextInt());
      case 2 -> NODES.numberNode(-r.nextDouble());
      case 3 -> NODES.booleanNode(r.nextBoolean());
      case 4 -> NODES.arrayNode().add(1).add("two");
      case 5 -> NODES.objectNode().put("nested", 1);
      case 6 -> NODES.numberNode(Long.MIN_VALUE);
      case 7 -> NODES.textNode("");
      default -> NODES.arrayNode();
    };
  }

  /** A value written as raw text, so that it can be what Jackson's tree would not write (NaN, 1e400). */
  private static byte[] rawValue(byte[] bytes, Random r, List<String> applied) throws IOException {
    ObjectNode root = tree(bytes);
    ObjectNode target = someObject(root, r);
    String field = someField(target, r);
    String raw = RAW_NUMBERS[r.nextInt(RAW_NUMBERS.length)];
    String marker = "\"__raw" + r.nextInt(1_000_000) + "__\"";
    target.set(field, NODES.textNode(marker.substring(1, marker.length() - 1)));
    applied.add("raw " + (raw.length() > 20 ? raw.substring(0, 20) + "..." : raw) + " for " + field);
    return new String(write(root), UTF_8).replace(marker, raw).getBytes(UTF_8);
  }

  private static byte[] deepNesting(byte[] bytes, Random r, List<String> applied) throws IOException {
    ObjectNode root = tree(bytes);
    String field = someField(root, r);
    int depth = r.nextBoolean() ? 500 + r.nextInt(600) : 5000 + r.nextInt(20_000);
    boolean arrays = r.nextBoolean();
    String marker = "\"__deep__\"";
    root.put(field, "__deep__");
    String open = arrays ? "[" : "{\"a\":";
    String close = arrays ? "]" : "}";
    String nested = open.repeat(depth) + "1" + close.repeat(depth);
    applied.add("nest " + depth + (arrays ? " arrays" : " objects") + " in " + field);
    return new String(write(root), UTF_8).replace(marker, nested).getBytes(UTF_8);
  }

  private static byte[] hugeString(byte[] bytes, Random r, List<String> applied) throws IOException {
    ObjectNode root = tree(bytes);
    ObjectNode target = someObject(root, r);
    String field = someField(target, r);
    int length = r.nextInt(4) > 0 ? 65_537 : 200_000 + r.nextInt(200_000);
    target.put(field, "z".repeat(length));
    applied.add("string of " + length + " for " + field);
    return write(root);
  }

  /** The same key twice in one object; which one wins is the parser's business, but it must not crash. */
  private static byte[] duplicateKey(byte[] bytes, Random r, List<String> applied) throws IOException {
    ObjectNode root = tree(bytes);
    String field = someField(root, r);
    JsonNode value = r.nextBoolean() ? wrongType(r) : root.get(field);
    String pair = PLAIN.writeValueAsString(field) + ":" + PLAIN.writeValueAsString(value);
    String json = new String(write(root), UTF_8);
    applied.add("duplicate key " + field);
    String out = r.nextBoolean() ? "{" + pair + "," + json.substring(1) : json.substring(0, json.length() - 1) + "," + pair + "}";
    return out.getBytes(UTF_8);
  }

  private static byte[] setType(byte[] bytes, Random r, List<String> applied) throws IOException {
    ObjectNode root = tree(bytes);
    String[] types = {"start", "token", "chunk", "end", "TOKEN", "", " token", "tokens"};
    String type = types[r.nextInt(types.length)];
    root.put("type", type);
    applied.add("type " + type);
    return write(root);
  }

  private static byte[] unknownField(byte[] bytes, Random r, List<String> applied) throws IOException {
    ObjectNode root = tree(bytes);
    root.set("x-" + r.nextInt(100), r.nextBoolean() ? wrongType(r) : NODES.arrayNode().add(NODES.objectNode()));
    applied.add("unknown field");
    return write(root);
  }

  private static byte[] flipBytes(byte[] bytes, Random r, List<String> applied) {
    byte[] out = Arrays.copyOf(bytes, bytes.length);
    int flips = 1 + r.nextInt(4);
    for (int i = 0; i < flips && out.length > 0; i++) {
      out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
    }
    applied.add("flip " + flips + " bits");
    return out;
  }

  private static byte[] truncate(byte[] bytes, Random r, List<String> applied) {
    int length = bytes.length == 0 ? 0 : r.nextInt(bytes.length);
    applied.add("truncate to " + length);
    return Arrays.copyOf(bytes, length);
  }

  private static byte[] invalidUtf8(byte[] bytes, Random r, List<String> applied) {
    byte[][] bad = {
        {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFE, (byte) 0xFF}};
    byte[] seq = bad[r.nextInt(bad.length)];
    // Inside a string value when there is one, where only the UTF-8 decoder can object.
    String json = new String(bytes, UTF_8);
    int quote = json.indexOf("\":\"");
    int at = quote >= 0 && r.nextBoolean() ? new String(bytes, UTF_8).substring(0, quote + 3).getBytes(UTF_8).length
        : r.nextInt(bytes.length + 1);
    at = Math.min(at, bytes.length);
    applied.add("invalid UTF-8 at " + at);
    return splice(bytes, at, 0, seq);
  }

  private static byte[] spliceBytes(byte[] bytes, Random r, List<String> applied) {
    int at = r.nextInt(bytes.length + 1);
    int remove = Math.min(bytes.length - at, r.nextInt(8));
    byte[] insert = new byte[r.nextInt(6)];
    String[] junk = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\u0000", " ", "x", "1", "\ufeff"};
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < insert.length; i++) {
      b.writeBytes(r.nextBoolean() ? junk[r.nextInt(junk.length)].getBytes(UTF_8) : new byte[] {(byte) r.nextInt(256)});
    }
    applied.add("splice at " + at + " -" + remove);
    return splice(bytes, at, remove, b.toByteArray());
  }

  private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
    byte[] out = new byte[bytes.length - remove + insert.length];
    System.arraycopy(bytes, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(bytes, at + remove, out, at + insert.length, bytes.length - at - remove);
    return out;
  }

  /** The start of a record as text, for failure messages. */
  public static String preview(byte[] bytes) {
    if (bytes == null) {
      return "null";
    }
    String text = new String(bytes, 0, Math.min(bytes.length, 300), UTF_8);
    return text + (bytes.length > 300 ? "... (" + bytes.length + " bytes)" : "");
  }
}
