package io.driftwatch.scoring.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A window kept encoded writes the same bytes as its strings written one by one, after any sequence of
 * additions and removals: short and long, ASCII and not, lone surrogates, the empty string.
 */
class EncodedStringsTest {

  @Test
  void writesWhatTheStringsWouldWriteAfterAnyAddsAndRemoves() {
    List<String> fixed = List.of("", "the", " word", "ü", "€uro", "😀", "a\uD83Db", "\uDE00", "x".repeat(126), "x".repeat(127),
        "é".repeat(130));
    for (int seed = 0; seed < 40; seed++) {
      Random random = new Random(seed);
      int window = 1 + random.nextInt(200);
      EncodedStrings encoded = new EncodedStrings();
      ArrayDeque<String> plain = new ArrayDeque<>();
      for (int step = 0; step < 3_000; step++) {
        if (!plain.isEmpty() && (plain.size() >= window || random.nextInt(10) == 0)) {
          plain.removeFirst();
          encoded.removeFirst();
        } else {
          String s = random.nextInt(4) == 0 ? fixed.get(random.nextInt(fixed.size())) : randomString(random);
          plain.addLast(s);
          encoded.addLast(s);
        }
        if (step % 97 == 0 || step == 2_999) {
          assertThat(bytes(encoded)).as("seed %d, step %d", seed, step).isEqualTo(stringsBytes(plain));
          assertThat(encoded.size()).isEqualTo(plain.size());
          StateInput in = new StateInput(bytes(encoded));
          ArrayDeque<String> back = new ArrayDeque<>();
          in.strings(back);
          in.end();
          assertThat(back).containsExactlyElementsOf(plain);
        }
      }
    }
  }

  @Test
  void removingFromAnEmptyWindowIsAnError() {
    EncodedStrings encoded = new EncodedStrings();
    encoded.addLast("a");
    encoded.removeFirst();
    assertThat(bytes(encoded)).isEqualTo(stringsBytes(new ArrayDeque<>()));
    assertThatThrownBy(encoded::removeFirst).isInstanceOf(IllegalStateException.class);
  }

  private static String randomString(Random random) {
    char[] chars = new char[random.nextInt(random.nextInt(8) == 0 ? 300 : 12)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = random.nextBoolean() ? (char) ('a' + random.nextInt(26)) : (char) random.nextInt(Character.MAX_VALUE + 1);
    }
    return new String(chars);
  }

  private static byte[] bytes(EncodedStrings encoded) {
    StateOutput out = new StateOutput();
    encoded.writeTo(out);
    return out.toByteArray();
  }

  private static byte[] stringsBytes(ArrayDeque<String> strings) {
    StateOutput out = new StateOutput();
    out.strings(strings);
    return out.toByteArray();
  }
}
