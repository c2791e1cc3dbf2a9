package io.driftwatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalInstantDeserializerTest {

  /** Jackson's own reading of instants, as the codec read them before the canonical shortcut. */
  private static final ObjectMapper STANDARD = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

  /** Instants from year 0 to 9999 written with 0 to 9 fraction digits, against {@link Instant#parse} as the oracle. */
  @Test
  void canonicalTextReadsAsInstantParseReadsIt() {
    Random random = new Random(42);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      Instant instant = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)), random.nextInt(1_000_000_000));
      String seconds = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(instant.getEpochSecond()));
      int digits = random.nextInt(10);
      String fraction = digits == 0 ? "" : "." + String.format("%09d", instant.getNano()).substring(0, digits);
      String text = seconds.substring(0, seconds.length() - 1) + fraction + "Z";
      assertThat(CanonicalInstantDeserializer.parseCanonical(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void everyOtherShapeIsLeftToJackson() {
    for (String text : List.of("", " 2026-01-01T00:00:00Z", "2026-01-01T00:00:00z", "2026-01-01t00:00:00Z", "2026-01-01T00:00:00",
        "2026-01-01T00:00:00+02:00", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567891Z", "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
        "2026-12-31T23:59:60Z", "+12026-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "2026-01-01T00:00:0aZ", "２026-01-01T00:00:00Z")) {
      assertThat(CanonicalInstantDeserializer.parseCanonical(text)).as(text).isNull();
    }
    assertThat(CanonicalInstantDeserializer.parseCanonical("2024-02-29T23:59:59.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.5Z"));
  }

  /** What the codec's mapper reads, or the error it gives, is what Jackson alone reads or gives. */
  @Test
  void theCodecReadsEveryValueAndFailsOnEveryValueAsJacksonAloneDoes() {
    List<String> values = new ArrayList<>(List.of("\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00.000000001Z\"", "\" 2026-01-01T00:00:00Z \"",
        "\"2026-01-01T00:00:00+02:00\"", "\"2026-02-29T00:00:00Z\"", "\"2026-12-31T23:59:60Z\"", "\"2026-01-01T24:00:00Z\"", "\"\"", "\"  \"",
        "\"1700000000\"", "1700000000", "1700000000.5", "-1", "null", "true", "[]", "{}", "\"not a time\"", "\"2026-01-01T00:00:00.1234567891Z\""));
    for (String value : values) {
      assertThat(read(EventCodec.MAPPER, value)).as(value).isEqualTo(read(STANDARD, value));
    }
  }

  @Test
  void anEventsTimeIsReadThroughTheShortcut() throws Exception {
    byte[] token = "{\"type\":\"token\",\"v\":1,\"generation_id\":\"g\",\"seq\":0,\"text\":\" a\",\"event_time\":\"2026-12-05T05:28:41.123456789Z\"}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(EventCodec.decode(token).eventTime()).isEqualTo(Instant.parse("2026-12-05T05:28:41.123456789Z"));
    DefaultDeserializationContext context = ((DefaultDeserializationContext) EventCodec.MAPPER.getDeserializationContext())
            .createInstance(EventCodec.MAPPER.getDeserializationConfig(), EventCodec.MAPPER.createParser("0"), null);
    assertThat(context.findRootValueDeserializer(EventCodec.MAPPER.constructType(Instant.class)))
        .isInstanceOf(CanonicalInstantDeserializer.class);
  }

  /** The value read, or the kind and message of the error. */
  private static Object read(ObjectMapper mapper, String json) {
    try {
      return String.valueOf(mapper.readValue(json, Instant.class));
    } catch (Exception e) {
      return e.getClass().getName() + ": " + e.getMessage().replaceAll("\\(through reference chain.*", "").replaceAll("at \\[Source.*", "");
    }
  }
}
