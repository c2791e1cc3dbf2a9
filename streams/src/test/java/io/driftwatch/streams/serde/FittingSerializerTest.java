package io.driftwatch.streams.serde;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.ScoreRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FittingSerializerTest {

  private final List<String> replaced = new ArrayList<>();

  @Test
  void aRecordThatFitsIsWrittenAsItIs() {
    FittingSerializer<DeadLetter> s = FittingSerializer.forDeadLetters(JsonSerde.of(DeadLetter.class).serializer(), 4096, replaced::add);
    DeadLetter letter = DeadLetter.of("json.malformed", "bad", "t", 0, 1L, "g".getBytes(UTF_8), "{x".getBytes(UTF_8), Instant.EPOCH);
    assertThat(s.serialize("dlq", letter)).isEqualTo(EventCodec.toJson(letter));
    assertThat(replaced).isEmpty();
  }

  @Test
  void aDeadLetterTooLargeLosesItsPayloadButKeepsItsLengthAndHash() throws Exception {
    FittingSerializer<DeadLetter> s = FittingSerializer.forDeadLetters(JsonSerde.of(DeadLetter.class).serializer(), 4096, replaced::add);
    byte[] value = "x".repeat(100_000).getBytes(UTF_8);
    DeadLetter letter = DeadLetter.of("json.malformed", "bad", "t", 0, 1L, "g".getBytes(UTF_8), value, Instant.EPOCH);
    byte[] out = s.serialize("dlq", letter);
    assertThat(out.length).isLessThanOrEqualTo(4096);
    DeadLetter back = EventCodec.fromJson(out, DeadLetter.class);
    assertThat(back.payload()).isNull();
    assertThat(back.payloadTruncated()).isTrue();
    assertThat(back.payloadBytes()).isEqualTo(100_000);
    assertThat(back.payloadSha256()).isEqualTo(DeadLetter.sha256(value));
    assertThat(back.reason()).isEqualTo("json.malformed");
    assertThat(back.sourceOffset()).isEqualTo(1L);
    assertThat(replaced).containsExactly("dlq");
  }

  @Test
  void anyOtherRecordTooLargeBecomesAMarker() throws Exception {
    FittingSerializer<ScoreRecord> s = new FittingSerializer<>(JsonSerde.of(ScoreRecord.class).serializer(), 300, null, replaced::add);
    ScoreRecord big = new ScoreRecord(1, "g".repeat(400), "r", "m", ScoreRecord.SUMMARY, null, 1, 0L, 0L, 1L, Map.of(),
        List.of(), null, "end:stop");
    byte[] full = EventCodec.toJson(big);
    byte[] out = s.serialize("scores", big);
    JsonNode marker = new ObjectMapper().readTree(out);
    assertThat(marker.get("marker").asText()).isEqualTo(FittingSerializer.TOO_LARGE);
    assertThat(marker.get("topic").asText()).isEqualTo("scores");
    assertThat(marker.get("bytes").asInt()).isEqualTo(full.length);
    assertThat(marker.get("sha256").asText()).isEqualTo(DeadLetter.sha256(full));
    assertThat(replaced).containsExactly("scores");
  }
}
