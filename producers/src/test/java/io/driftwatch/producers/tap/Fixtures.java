package io.driftwatch.producers.tap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The recorded OpenAI traffic in src/test/resources/tap/. */
final class Fixtures {

  static final List<String> STREAMS =
      List.of("chat-stream.sse", "chat-stream-logprobs.sse", "completion-stream.sse", "chat-stream-n2.sse", "chat-stream-cut.sse");

  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/tap/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture tap/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String name) {
    return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Cuts bytes into consecutive pieces of 1 to {@code maxPiece} bytes, as a network might deliver them. */
  static List<byte[]> randomPieces(byte[] all, Random random, int maxPiece) {
    List<byte[]> pieces = new ArrayList<>();
    int at = 0;
    while (at < all.length) {
      int n = Math.min(all.length - at, 1 + random.nextInt(maxPiece));
      pieces.add(java.util.Arrays.copyOfRange(all, at, at + n));
      at += n;
    }
    return pieces;
  }
}
