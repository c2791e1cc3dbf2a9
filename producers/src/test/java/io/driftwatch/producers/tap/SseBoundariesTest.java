package io.driftwatch.producers.tap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseBoundariesTest {

  @Test
  void findsTheEndOfTheLastCompleteEventInAPiece() {
    byte[] b = "data: a\n\ndata: b\n\ndata: c".getBytes(UTF_8);
    assertThat(new SseBoundaries().lastEnd(b, 0, b.length)).isEqualTo("data: a\n\ndata: b\n\n".length());
  }

  @Test
  void noEndInThePieceIsMinusOne() {
    byte[] b = "data: {\"a\":1}\n".getBytes(UTF_8);
    assertThat(new SseBoundaries().lastEnd(b, 0, b.length)).isEqualTo(-1);
  }

  @Test
  void crlfEventsEndAfterTheirLastLineFeed() {
    byte[] b = "data: a\r\n\r\ndata: b".getBytes(UTF_8);
    assertThat(new SseBoundaries().lastEnd(b, 0, b.length)).isEqualTo("data: a\r\n\r\n".length());
  }

  @Test
  void anEndSplitAcrossPiecesIsFoundInThePieceThatCompletesIt() {
    SseBoundaries boundaries = new SseBoundaries();
    byte[] first = "data: a\n".getBytes(UTF_8);
    byte[] second = "\ndata: b".getBytes(UTF_8);
    assertThat(boundaries.lastEnd(first, 0, first.length)).isEqualTo(-1);
    assertThat(boundaries.lastEnd(second, 0, second.length)).isEqualTo(1);
  }

  /**
   * Cut anywhere, every end reported is a true event end (one found reading byte by byte), and the last
   * one reported is the stream's last event end: whatever the pieces, no event is held back at the end.
   */
  @Test
  void piecesOfAnySizeReportTrueEndsOnly() {
    byte[] stream = "data: one\n\n: ping\n\ndata: two\r\n\r\nevent: x\rdata: three\r\rdata: four\n\n".getBytes(UTF_8);
    List<Integer> all = ends(stream, new Random(0), 1);
    assertThat(all).hasSize(5).last().isEqualTo(stream.length);
    // An end after a CR may take the CRLF's LF along when the same piece holds it: the same event end.
    List<Integer> trueEnds = new ArrayList<>(all);
    for (int end : all) {
      if (end < stream.length && stream[end - 1] == '\r' && stream[end] == '\n') {
        trueEnds.add(end + 1);
      }
    }
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      List<Integer> found = ends(stream, random, 9);
      assertThat(trueEnds).containsAll(found);
      assertThat(found).last().isEqualTo(stream.length);
    }
  }

  /** The ends reported for the stream cut into pieces of 1 to {@code maxPiece} bytes. */
  private static List<Integer> ends(byte[] bytes, Random random, int maxPiece) {
    SseBoundaries boundaries = new SseBoundaries();
    List<Integer> out = new ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      int n = Math.min(1 + random.nextInt(maxPiece), bytes.length - at);
      int end = boundaries.lastEnd(bytes, at, n);
      if (end >= 0) {
        out.add(end);
      }
      at += n;
    }
    return out;
  }
}
