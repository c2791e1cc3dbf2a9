package io.driftwatch.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatchStateTest {

  /** The documented bound for default settings. */
  private static final int CEILING_BYTES = 6_300;

  @TempDir
  Path tmp;

  @Test
  void stateStaysSmallAndBoundedWhateverTheGenerationLength() throws IOException {
    // Words with 3-byte ids and a 3,000-word document that is copied whole: the remembered window fills.
    Random random = new Random(9);
    List<String> doc = new ArrayList<>();
    for (int w = 0; w < 3_000; w++) {
      doc.add("w" + random.nextInt(40_000));
    }
    StringBuilder many = new StringBuilder();
    for (int w = 0; w < 40_000; w++) {
      many.append(" v").append(w);
    }
    IndexBuilder builder = new IndexBuilder(tmp).addText("vocabulary", many.toString());
    for (int d = 0; d < 300; d++) {
      builder.addText("copy" + d, String.join(" ", doc.subList(d, d + 50)));
    }
    builder.addText("long", String.join(" ", doc)).build();
    StreamingMatcher matcher = new StreamingMatcher(AttributionIndex.open(tmp), MatchSettings.DEFAULTS);

    MatchState state = matcher.start();
    int largest = 0;
    for (String word : doc) {
      matcher.append(state, word, MatchListener.NONE);
      largest = Math.max(largest, MatchStateCodec.encode(state).length);
    }
    // Then fresh words, each a different short match: many spans, the source table fills.
    for (int d = 0; d < 300; d++) {
      for (String word : doc.subList(d, d + 6)) {
        matcher.append(state, word, MatchListener.NONE);
      }
      matcher.append(state, "unknown", MatchListener.NONE);
      largest = Math.max(largest, MatchStateCodec.encode(state).length);
    }
    System.out.printf("match state: largest %,d bytes, at the end %,d bytes%n", largest, MatchStateCodec.encode(state).length);
    assertThat(state.matchLength()).isZero();
    assertThat(matcher.summary(state).sourcesTruncated()).isTrue();
    assertThat(matcher.summary(state).sourceDocuments()).isEqualTo(MatchSettings.DEFAULTS.maxSources());
    assertThat(largest).isGreaterThan(3 * MatchSettings.DEFAULTS.window()).isLessThan(CEILING_BYTES);
    assertThat(MatchStateCodec.encode(state).length).isLessThan(1_200);
  }

  @Test
  void freshTextStateIsTiny() throws IOException {
    new IndexBuilder(tmp).addText("a", "the cat sat on the mat").build();
    StreamingMatcher matcher = new StreamingMatcher(AttributionIndex.open(tmp), MatchSettings.DEFAULTS);
    MatchState state = matcher.start();
    for (String w : WordTokenizer.words("the dog sat on the cat and the mat sat")) {
      matcher.append(state, w, MatchListener.NONE);
    }
    assertThat(MatchStateCodec.encode(state).length).isLessThan(64);
  }

  @Test
  void refusesCorruptStatesAndStatesOfAnotherIndexOrWindow() throws IOException {
    new IndexBuilder(tmp.resolve("a")).addText("a", "one two three").build();
    new IndexBuilder(tmp.resolve("b")).addText("b", "four five six").build();
    StreamingMatcher a = new StreamingMatcher(AttributionIndex.open(tmp.resolve("a")), MatchSettings.DEFAULTS);
    StreamingMatcher b = new StreamingMatcher(AttributionIndex.open(tmp.resolve("b")), MatchSettings.DEFAULTS);
    MatchState state = a.start();
    a.append(state, "one", MatchListener.NONE);
    byte[] bytes = MatchStateCodec.encode(state);

    assertThatThrownBy(() -> b.append(MatchStateCodec.decode(bytes), "four", MatchListener.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restart");
    StreamingMatcher narrow = new StreamingMatcher(a.index(), MatchSettings.DEFAULTS.withWindow(16));
    assertThatThrownBy(() -> narrow.append(MatchStateCodec.decode(bytes), "two", MatchListener.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");

    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThatThrownBy(() -> MatchStateCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> MatchStateCodec.decode(longer)).isInstanceOf(IllegalArgumentException.class);
    byte[] version = bytes.clone();
    version[0] = 9;
    assertThatThrownBy(() -> MatchStateCodec.decode(version)).hasMessageContaining("version 9");

    MatchState resumed = MatchStateCodec.decode(bytes);
    assertThat(a.append(resumed, "two", MatchListener.NONE)).isEqualTo(2);
    a.finish(resumed, MatchListener.NONE);
    assertThat(MatchStateCodec.decode(MatchStateCodec.encode(resumed)).finished()).isTrue();
    assertThatThrownBy(() -> a.append(resumed, "three", MatchListener.NONE)).isInstanceOf(IllegalStateException.class);
  }
}
