package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenerationIdsTest {

  @Test
  void idsOfServersThatMakeThemRandomAreKeptAsTheClientSeesThem() {
    for (String id : new String[] {"chatcmpl-AXf5Qb2LrT8wVn4kZ0cJhYp6sMe3G", "cmpl-AXf6Tz9pKc1Wm3xRb7Ln0dQy5vHu2",
        "chatcmpl-0f3b2c1a9d8e4f7a8b6c5d4e3f2a1b0c", "chatcmpl-123e4567-e89b-12d3-a456-426614174000",
        "930c60df-bf64-41c9-a88e-3ec75f81e00e", "8a1b2c3d4e5f6789-IAD"}) {
      assertThat(GenerationIds.looksUnique(id)).as(id).isTrue();
      assertThat(GenerationIds.base(id, 244)).isEqualTo(id);
    }
  }

  @Test
  void aNumberedIdGetsASuffixThatDiffersFromResponseToResponse() {
    // Ollama's ids: chatcmpl- and a number below 999, so a few dozen responses share one.
    Set<String> bases = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String base = GenerationIds.base("chatcmpl-417", 244);
      assertThat(base).matches("chatcmpl-417~[0-9a-f]{1,12}");
      bases.add(base);
    }
    assertThat(bases).hasSize(1_000);
    for (String id : new String[] {"chatcmpl-1", "chatcmpl-endless-12", "chatcmpl-cli1", "cmpl-99", "abc"}) {
      assertThat(GenerationIds.looksUnique(id)).as(id).isFalse();
    }
  }

  @Test
  void aResponseWithoutAnIdGetsARandomOne() {
    assertThat(GenerationIds.base(null, 244)).matches("tap-[0-9a-f-]{36}").isNotEqualTo(GenerationIds.base(null, 244));
  }

  @Test
  void theBaseStaysWithinTheLimitAndKeepsItsSuffix() {
    String longRandom = "chatcmpl-" + "x".repeat(400);
    assertThat(GenerationIds.base(longRandom, 244)).hasSize(244).startsWith("chatcmpl-xxx");
    String longShort = "chatcmpl" + ".".repeat(400) + "-7";
    assertThat(GenerationIds.base(longShort, 244)).hasSizeLessThanOrEqualTo(244).matches("chatcmpl\\.+~[0-9a-f]{1,12}");
  }
}
