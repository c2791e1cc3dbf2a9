package io.driftwatch.scoring.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.contract.Score;
import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mosaic scores against a brute-force oracle over the whole list of spans. */
class SpanMosaicTest {

  private static final int CAP = 40;

  /** A closed span as the oracle sees it: its length and its listed documents. */
  private record ListedSpan(int length, List<String> documents) {}

  /**
   * Property, over 2,000 random span sequences (lengths 1 to twice the cap, zero to four documents each
   * from a pool of three or of thirty, so that consecutive spans share sources often or seldom), with the
   * mosaic round-tripped through its bytes at random points: after every span, the count, the median and
   * p90 lengths and the switch rate equal the oracle's, computed from the sorted list of all lengths and
   * from every consecutive pair.
   */
  @Test
  void matchesTheOracleAfterEverySpan() {
    int switchesSeen = 0;
    int cappedSeen = 0;
    for (long seed = 1; seed <= 2_000; seed++) {
      Random random = new Random(seed);
      int pool = random.nextBoolean() ? 3 : 30;
      int n = random.nextInt(40);
      SpanMosaic mosaic = new SpanMosaic();
      List<ListedSpan> spans = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ListedSpan span = randomSpan(random, pool);
        spans.add(span);
        mosaic.add(span.length(), span.documents(), CAP);
        if (random.nextInt(4) == 0) {
          mosaic = roundTrip(mosaic);
        }
        String at = "seed " + seed + ", after span " + i;
        assertThat(mosaic.spans()).as(at).isEqualTo(spans.size());
        assertThat(mosaic.lengthQuantile(0.5)).as(at + ": median").isEqualTo(oracleQuantile(spans, 0.5));
        assertThat(mosaic.lengthQuantile(0.9)).as(at + ": p90").isEqualTo(oracleQuantile(spans, 0.9));
        assertThat(mosaic.lengthQuantile(1.0)).as(at + ": max").isEqualTo(oracleQuantile(spans, 1.0));
        assertThat(mosaic.switches()).as(at + ": switches").isEqualTo(oracleSwitches(spans));
        if (spans.size() < 2) {
          assertThat(mosaic.switchRate()).as(at).isNaN();
        } else {
          assertThat(mosaic.switchRate()).as(at + ": switch rate")
              .isEqualTo((double) oracleSwitches(spans) / (spans.size() - 1));
        }
        assertScores(mosaic, spans, at);
      }
      switchesSeen += mosaic.switches();
      cappedSeen += (int) spans.stream().filter(s -> s.length() > CAP).count();
    }
    // The generator exercised both branches: switches happened and lengths went over the cap.
    assertThat(switchesSeen).isGreaterThan(1_000);
    assertThat(cappedSeen).isGreaterThan(1_000);
  }

  private static ListedSpan randomSpan(Random random, int pool) {
    int length = 1 + random.nextInt(2 * CAP);
    List<String> documents = new ArrayList<>();
    int listed = random.nextInt(5);
    for (int d = 0; d < listed; d++) {
      documents.add("doc-" + random.nextInt(pool) + ".txt");
    }
    return new ListedSpan(length, documents);
  }

  /** The summary's scores: present exactly when defined, with the oracle's values. */
  private static void assertScores(SpanMosaic mosaic, List<ListedSpan> spans, String at) {
    Map<String, Double> scores = new HashMap<>();
    AttributionScoring.putMosaic(mosaic, scores);
    assertThat(scores.get(Score.VERBATIM_SPANS.wireName())).as(at).isEqualTo((double) spans.size());
    if (spans.isEmpty()) {
      assertThat(scores).as(at).containsOnlyKeys(Score.VERBATIM_SPANS.wireName());
      return;
    }
    assertThat(scores.get(Score.SPAN_LENGTH_MEDIAN.wireName())).as(at).isEqualTo(oracleQuantile(spans, 0.5));
    assertThat(scores.get(Score.SPAN_LENGTH_P90.wireName())).as(at).isEqualTo(oracleQuantile(spans, 0.9));
    assertThat(scores.containsKey(Score.SOURCE_SWITCH_RATE.wireName())).as(at).isEqualTo(spans.size() > 1);
  }

  /** Nearest rank over the sorted lengths, each capped: element ceil(q n) - 1. */
  private static double oracleQuantile(List<ListedSpan> spans, double q) {
    if (spans.isEmpty()) {
      return Double.NaN;
    }
    List<Integer> lengths = new ArrayList<>(spans.stream().map(s -> Math.min(s.length(), CAP)).toList());
    lengths.sort(null);
    return lengths.get((int) Math.ceil(q * lengths.size()) - 1);
  }

  /** Consecutive pairs that both list documents and share none. */
  private static int oracleSwitches(List<ListedSpan> spans) {
    int switches = 0;
    for (int i = 1; i < spans.size(); i++) {
      Set<String> before = new HashSet<>(spans.get(i - 1).documents());
      Set<String> now = new HashSet<>(spans.get(i).documents());
      if (!before.isEmpty() && !now.isEmpty() && now.stream().noneMatch(before::contains)) {
        switches++;
      }
    }
    return switches;
  }

  private static SpanMosaic roundTrip(SpanMosaic mosaic) {
    StateOutput out = new StateOutput();
    mosaic.writeTo(out);
    byte[] bytes = out.toByteArray();
    StateInput in = new StateInput(bytes);
    SpanMosaic back = SpanMosaic.readFrom(in);
    in.end();
    StateOutput again = new StateOutput();
    back.writeTo(again);
    assertThat(again.toByteArray()).isEqualTo(bytes);
    return back;
  }

  @Test
  void oneSourceCopiedThroughoutNeverSwitches() {
    SpanMosaic mosaic = new SpanMosaic();
    for (int length : new int[] {7, 12, 5, 30}) {
      mosaic.add(length, List.of("a.txt"), CAP);
    }
    assertThat(mosaic.switchRate()).isZero();
    assertThat(mosaic.lengthQuantile(0.5)).isEqualTo(7);
    assertThat(mosaic.lengthQuantile(0.9)).isEqualTo(30);
  }

  @Test
  void alternatingSourcesSwitchAtEverySpanAndASharedDocumentIsNoSwitch() {
    SpanMosaic mosaic = new SpanMosaic();
    mosaic.add(6, List.of("a.txt"), CAP);
    mosaic.add(6, List.of("b.txt"), CAP);
    mosaic.add(6, List.of("a.txt"), CAP);
    assertThat(mosaic.switchRate()).isEqualTo(1.0);
    mosaic.add(6, List.of("c.txt", "a.txt"), CAP);
    assertThat(mosaic.switches()).isEqualTo(2);
    assertThat(mosaic.switchRate()).isEqualTo(2.0 / 3);
  }

  @Test
  void noSpanHasNoQuantileAndBadArgumentsAreRefused() {
    SpanMosaic mosaic = new SpanMosaic();
    assertThat(mosaic.lengthQuantile(0.5)).isNaN();
    assertThat(mosaic.switchRate()).isNaN();
    assertThatThrownBy(() -> mosaic.lengthQuantile(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mosaic.add(0, List.of(), CAP)).isInstanceOf(IllegalArgumentException.class);
  }
}
