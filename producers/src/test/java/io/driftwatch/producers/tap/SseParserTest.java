package io.driftwatch.producers.tap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private final List<SseParser.Event> events = new ArrayList<>();
  private final AtomicInteger oversized = new AtomicInteger();

  private SseParser parser(int maxEventBytes) {
    return new SseParser(events::add, oversized::incrementAndGet, maxEventBytes);
  }

  private List<SseParser.Event> parseWhole(byte[] bytes) {
    List<SseParser.Event> out = new ArrayList<>();
    SseParser p = new SseParser(out::add, () -> {});
    p.feed(bytes, 0, bytes.length);
    p.finish();
    return out;
  }

  @Test
  void aRecordedChatStreamIsItsChunksThenDone() {
    List<SseParser.Event> parsed = parseWhole(Fixtures.bytes("chat-stream.sse"));
    // role chunk, 43 content chunks, finish chunk, usage chunk, [DONE]
    assertThat(parsed).hasSize(47);
    assertThat(parsed.subList(0, 46)).allSatisfy(e -> {
      assertThat(e.name()).isNull();
      assertThat(e.data()).startsWith("{\"id\":\"chatcmpl-AXf3kP9uQ2n7Rz1bT5mWcY8vLd0eH\"").endsWith("}");
    });
    assertThat(parsed.get(46).data()).isEqualTo("[DONE]");
  }

  @Test
  void bytesInRandomSmallPiecesGiveTheSameEventsAsWhole() {
    for (String name : Fixtures.STREAMS) {
      byte[] all = Fixtures.bytes(name);
      List<SseParser.Event> whole = parseWhole(all);
      assertThat(whole).as(name).isNotEmpty();
      for (int seed = 0; seed < 40; seed++) {
        events.clear();
        SseParser p = parser(SseParser.DEFAULT_MAX_EVENT_BYTES);
        for (byte[] piece : Fixtures.randomPieces(all, new Random(seed), 1 + seed % 9)) {
          p.feed(piece, 0, piece.length);
        }
        p.finish();
        assertThat(events).as(name + " seed " + seed).isEqualTo(whole);
      }
    }
  }

  @Test
  void crLfAndLoneCrEndLinesLikeLf() {
    String lf = Fixtures.text("chat-stream-n2.sse");
    List<SseParser.Event> expected = parseWhole(lf.getBytes(UTF_8));
    byte[] crlf = lf.replace("\n", "\r\n").getBytes(UTF_8);
    byte[] cr = lf.replace("\n", "\r").getBytes(UTF_8);
    assertThat(parseWhole(crlf)).isEqualTo(expected);
    assertThat(parseWhole(cr)).isEqualTo(expected);
    // A CRLF split between two reads is still one line end, not a line end and an empty line.
    events.clear();
    SseParser p = parser(1000);
    feed(p, "data: a\r");
    feed(p, "\ndata: b\r\n\r\n");
    assertThat(events).containsExactly(new SseParser.Event(null, "a\nb"));
  }

  @Test
  void dataLinesJoinCommentsAreSkippedAndEventNamesKept() {
    SseParser p = parser(1000);
    feed(p, ": keep-alive\n\nevent: error\ndata: first\ndata:second\nid: 7\nretry: 100\n\n");
    assertThat(events).containsExactly(new SseParser.Event("error", "first\nsecond"));
  }

  @Test
  void aCharacterSplitAcrossReadsIsDecodedWhole() {
    byte[] bytes = "data: {\"content\":\" 🐋 café\"}\n\n".getBytes(UTF_8);
    SseParser p = parser(1000);
    for (byte b : bytes) {
      p.feed(new byte[] {b}, 0, 1);
    }
    assertThat(events).containsExactly(new SseParser.Event(null, "{\"content\":\" 🐋 café\"}"));
  }

  @Test
  void anEventNotClosedBeforeTheEndIsDiscarded() {
    SseParser p = parser(1000);
    feed(p, "data: kept\n\ndata: cut off");
    p.finish();
    assertThat(events).containsExactly(new SseParser.Event(null, "kept"));
  }

  @Test
  void anOversizedEventIsSkippedOnceAndTheNextOneRead() {
    SseParser p = parser(100);
    feed(p, "data: " + "x".repeat(300) + "\ndata: more\n\ndata: small\n\n");
    assertThat(oversized.get()).isEqualTo(1);
    assertThat(events).containsExactly(new SseParser.Event(null, "small"));
  }

  @Test
  void aLeadingByteOrderMarkIsSkipped() {
    SseParser p = parser(1000);
    // The byte-order mark split across reads, as the first bytes of the stream.
    p.feed(new byte[] {(byte) 0xEF, (byte) 0xBB}, 0, 2);
    p.feed(new byte[] {(byte) 0xBF}, 0, 1);
    feed(p, "data: x\n\n");
    assertThat(events).containsExactly(new SseParser.Event(null, "x"));
  }

  private static void feed(SseParser p, String s) {
    byte[] b = s.getBytes(UTF_8);
    p.feed(b, 0, b.length);
  }
}
