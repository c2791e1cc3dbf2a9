package io.driftwatch.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.fuzz.Fuzz;
import io.driftwatch.contract.fuzz.FuzzEvents;
import io.driftwatch.contract.fuzz.Mutator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StreamingEventParser} against its oracle, the mapper's data binding ({@link EventCodec#MAPPER}):
 * whatever the parser reads, the mapper reads the same way; valid token and chunk events are read by the
 * parser itself (or the oracle test would pass on a parser that declines everything).
 */
class StreamingEventParserTest {

  private static final StreamingEventParser PARSER = new StreamingEventParser(EventCodec.MAPPER.getFactory());

  @Test
  void readsEveryValidTokenAndChunkEventAsTheMapperDoes() {
    int[] read = new int[1];
    Fuzz.run("valid events", 11, 3000, seed -> {
      GenerationEvent event = FuzzEvents.any(new Random(seed));
      byte[] json = EventCodec.encode(event);
      GenerationEvent streamed = PARSER.parse(json);
      boolean hot = event instanceof GenerationEvent.Token || event instanceof GenerationEvent.Chunk;
      // The encoder writes an infinite logprob as the string "-Infinity", which only the mapper converts.
      if (hot && !new String(json, UTF_8).contains("Infinity")) {
        assertThat(streamed).as("case seed %d: %s", seed, new String(json, UTF_8)).isEqualTo(event);
        read[0]++;
      } else if (streamed != null) {
        assertThat(streamed).as("case seed %d", seed).isEqualTo(event);
      }
    });
    assertThat(read[0]).as("token and chunk events the parser read").isGreaterThan(1000);
  }

  @Test
  void whateverItReadsFromBrokenEventsTheMapperReadsAlike() {
    Fuzz.run("mutated events", 12, 4000, seed -> {
      Random random = new Random(seed);
      byte[] json = Mutator.mutate(EventCodec.encode(FuzzEvents.any(random)), random).bytes();
      agreesWithTheMapper(json, "case seed " + seed);
    });
  }

  static Stream<String> oddEvents() {
    String tail = "\"generation_id\":\"g\",\"event_time\":\"2026-01-01T00:00:00Z\"";
    return Stream.of(
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\"," + tail + "}",
        "{\"v\":1,\"seq\":3,\"text\":\"a\"," + tail + ",\"type\":\"token\"}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"seq\":4,\"text\":\"a\"," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":\"3\",\"text\":\"a\"," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3.0,\"text\":\"a\"," + tail + "}",
        "{\"type\":\"token\",\"v\":1.0,\"seq\":3,\"text\":\"a\"," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":7," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":null," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":99999999999999999999,\"text\":\"a\"," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"token_id\":4294967296,\"text\":\"a\"," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\",\"logprob\":-2," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\",\"logprob\":\"-Infinity\"," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\",\"top_logprobs\":[{\"token\":\"b\",\"logprob\":-1,\"x\":[1,{}]}]," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\",\"top_logprobs\":[null]," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\",\"tokens\":{\"not\":\"a list\"}," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\",\"extra\":{\"deep\":[1,2,[3]]}," + tail + "}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\",\"generation_id\":\"g\",\"event_time\":\"2026-01-01T00:00:00+01:00\"}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\"," + tail + "} {}",
        "{\"type\":\"token\",\"v\":1,\"seq\":3,\"text\":\"a\"," + tail + "",
        "{\"type\":\"chunk\",\"v\":1,\"seq\":0,\"tokens\":[]," + tail + "}",
        "{\"type\":\"chunk\",\"v\":1,\"seq\":0,\"tokens\":[{\"text\":\"a\",\"offset_ns\":5},{\"text\":\"b\",\"text\":\"c\"}]," + tail + "}",
        "{\"type\":\"chunk\",\"v\":1,\"seq\":0,\"tokens\":[{\"text\":\"a\",\"offset_ns\":-5,\"token_id\":2}],\"text\":\"ignored\"," + tail + "}",
        "{\"type\":\"chunk\",\"v\":1,\"seq\":0,\"tokens\":[{\"text\":\"a\"},null]," + tail + "}",
        "{\"type\":\"start\",\"v\":1,\"run_id\":\"r\",\"model\":\"m\",\"prompt\":\"p\"," + tail + "}",
        "{\"type\":\"end\",\"v\":1,\"finish_reason\":\"stop\"," + tail + "}",
        "{\"type\":\"tokens\",\"v\":1," + tail + "}",
        "{\"v\":1,\"seq\":3,\"text\":\"a\"," + tail + "}");
  }

  @ParameterizedTest
  @MethodSource("oddEvents")
  void oddButWellFormedEventsReadAsTheMapperReadsThem(String json) {
    agreesWithTheMapper(json.getBytes(UTF_8), json);
  }

  @Test
  void readsTheOrdinaryShapesItself() {
    assertThat(PARSER.parse(("{\"type\":\"token\",\"v\":1,\"generation_id\":\"g\",\"seq\":3,\"text\":\" the\",\"logprob\":-0.25,"
        + "\"event_time\":\"2026-01-01T00:00:00.025Z\"}").getBytes(UTF_8))).isNotNull();
    assertThat(PARSER.parse(("{\"type\":\"chunk\",\"v\":1,\"generation_id\":\"g\",\"seq\":16,\"tokens\":[{\"text\":\" a\"},"
        + "{\"text\":\" b\",\"offset_ns\":25000000}],\"event_time\":\"2026-01-01T00:00:00.025Z\"}").getBytes(UTF_8))).isNotNull();
  }

  /** Declining is always allowed; reading is allowed only where the mapper reads the very same event. */
  private static void agreesWithTheMapper(byte[] json, String what) {
    GenerationEvent streamed = PARSER.parse(json);
    if (streamed == null) {
      return;
    }
    GenerationEvent bound;
    try {
      bound = EventCodec.MAPPER.readValue(json, GenerationEvent.class);
    } catch (Exception e) {
      throw new AssertionError(what + ": the parser read " + streamed + " where the mapper fails: " + e, e);
    }
    assertThat(streamed).as(what).isEqualTo(bound);
  }
}
