package io.driftwatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RadiusRecordTest {

  /** docs/events.md's example, field for field. */
  private static final String DOCUMENTED = "{\"v\":1,\"generation_id\":\"g-42\",\"run_id\":\"eval-7\",\"model\":\"llama-3-8b\","
      + "\"contexts\":[8,16,32,64,118],\"nll\":[2.91,2.4,2.21,2.2,2.2],\"reference\":[2.35,2.24,2.2,2.2,2.2],\"radius\":32,"
      + "\"tolerance\":0.05,\"fit\":{\"floor\":2.19,\"scale\":9.1,\"exponent\":1.2,\"r_squared\":0.98},\"target_tokens\":17,"
      + "\"event_time\":\"2026-11-24T06:00:06Z\"}";

  @Test
  void theDocumentedRecordReadsAndWritesBackTheSame() throws Exception {
    RadiusRecord r = EventCodec.fromJson(DOCUMENTED.getBytes(StandardCharsets.UTF_8), RadiusRecord.class);
    assertThat(r.radius()).isEqualTo(32);
    assertThat(r.contexts()).containsExactly(8, 16, 32, 64, 118);
    assertThat(r.fit().rSquared()).isEqualTo(0.98);
    assertThat(r.eventTime()).isEqualTo(Instant.parse("2026-11-24T06:00:06Z"));
    assertThat(new String(EventCodec.toJson(r), StandardCharsets.UTF_8)).isEqualTo(DOCUMENTED);
  }

  @Test
  void aRecordWithoutAFitLeavesItOut() {
    RadiusRecord r = new RadiusRecord(1, "g", null, "m", List.of(1, 2), List.of(1.0, 0.5), List.of(0.5, 0.5), 2, 0.05, null, 2, null);
    assertThat(new String(EventCodec.toJson(r), StandardCharsets.UTF_8)).doesNotContain("fit").doesNotContain("run_id");
  }

  @Test
  void theRadiusTopicIsOneOfTheTopics() {
    assertThat(Topics.withPrefix("p.").radius()).isEqualTo("p.radius");
    assertThat(Topics.defaults().all()).contains("driftwatch.radius");
  }
}
