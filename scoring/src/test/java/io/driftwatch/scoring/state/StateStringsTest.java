package io.driftwatch.scoring.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every Java string survives the binary state form exactly, lone surrogates included (found by the
 * topology fuzz test: a word cut inside an emoji left half a surrogate pair, which UTF-8 turned into
 * '?', so a restored state scored differently from a live one).
 */
class StateStringsTest {

  @Test
  void stringsComeBackExactly() {
    List<String> strings = new ArrayList<>(List.of("", "word", "ü", "€uro", "😀", "a\uD83Db", "\uDE00", "nul\u0000char",
        "x".repeat(300), "😀".repeat(100) + "\uD83D"));
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      char[] chars = new char[random.nextInt(200)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = (char) random.nextInt(Character.MAX_VALUE + 1);
      }
      strings.add(new String(chars));
    }
    StateOutput out = new StateOutput();
    out.string(null);
    strings.forEach(out::string);
    StateInput in = new StateInput(out.toByteArray());
    assertThat(in.string()).isNull();
    for (String s : strings) {
      assertThat(in.string()).isEqualTo(s);
    }
    in.end();
  }
}
