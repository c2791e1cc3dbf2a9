package io.driftwatch.streams.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decode step on a mock context, several records in a row with no commit between them: each
 * valid event reaches every event child, in order, with its raw bytes; each invalid record becomes
 * one dead letter naming its rule and where it came from, and nothing else.
 */
class DecodeProcessorTest {

  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");
  private static final String TOPIC = "driftwatch.tokens";

  private final MockProcessorContext<String, Object> context = new MockProcessorContext<>(props());
  private final DriftwatchMetrics metrics = new DriftwatchMetrics(new PrometheusRegistry(), 5);
  private final DecodeProcessor processor = new DecodeProcessor(List.of("score", "view"), "dead-letters", metrics);
  private long offset;

  @BeforeEach
  void init() {
    context.setCurrentSystemTimeMs(T0.plusSeconds(1).toEpochMilli());
    processor.init(context);
  }

  @Test
  void validEventsReachEveryEventChildInOrderWithTheirRawBytes() {
    GenerationEvent start = new GenerationEvent.Start(1, "g-1", "run", "model", "Say something.", null, Map.of(), T0);
    GenerationEvent token = new GenerationEvent.Token(1, "g-1", 0L, " Hello", null, -0.5, null, T0.plusMillis(20));
    GenerationEvent other = new GenerationEvent.Token(1, "g-2", 0L, " Hi", null, null, null, T0.plusMillis(30));
    GenerationEvent end = new GenerationEvent.End(1, "g-1", "stop", T0.plusMillis(40), null);

    for (GenerationEvent event : List.of(start, token, other, end)) {
      send(event.generationId(), EventCodec.encode(event), event.eventTime().toEpochMilli());
    }

    for (String child : List.of("score", "view")) {
      List<CapturedForward<? extends String, ?>> forwarded = context.forwarded(child);
      assertThat(forwarded).extracting(f -> (String) f.record().key()).containsExactly("g-1", "g-1", "g-2", "g-1");
      assertThat(forwarded).extracting(f -> ((DecodedEvent) f.record().value()).event()).containsExactly(start, token, other, end);
      assertThat(forwarded).extracting(f -> f.record().timestamp())
          .containsExactly(T0.toEpochMilli(), T0.toEpochMilli() + 20, T0.toEpochMilli() + 30, T0.toEpochMilli() + 40);
      DecodedEvent first = (DecodedEvent) forwarded.get(0).record().value();
      assertThat(first.key()).isEqualTo("g-1".getBytes(UTF_8));
      assertThat(first.value()).isEqualTo(EventCodec.encode(start));
    }
    assertThat(context.forwarded("dead-letters")).isEmpty();
    assertThat(context.forwarded()).hasSize(8);
    assertThat(metrics.deadLettersTotal()).isZero();
  }

  @Test
  void eachInvalidRecordBecomesOneDeadLetterNamingItsRuleBetweenValidOnes() {
    GenerationEvent token = new GenerationEvent.Token(1, "g-1", 0L, " Hello", null, null, null, T0);
    byte[] valid = EventCodec.encode(token);
    byte[] malformed = "{\"type\":\"token\",".getBytes(UTF_8);

    send("g-1", valid, 1);
    send("g-1", malformed, 2);
    send(null, valid, 3);
    send("g-9", valid, 4);
    send("g-1", valid, 5);

    assertThat(context.forwarded("score")).hasSize(2);
    List<CapturedForward<? extends String, ?>> letters = context.forwarded("dead-letters");
    assertThat(letters).extracting(f -> ((DeadLetter) f.record().value()).reason())
        .containsExactly("json.malformed", "key.required", "key.mismatch");
    assertThat(metrics.deadLettersTotal()).isEqualTo(3);

    DeadLetter broken = (DeadLetter) letters.get(0).record().value();
    assertThat(broken.sourceTopic()).isEqualTo(TOPIC);
    assertThat(broken.sourcePartition()).isEqualTo(2);
    assertThat(broken.sourceOffset()).isEqualTo(1L);
    assertThat(broken.key()).isEqualTo("g-1");
    assertThat(broken.payload()).isEqualTo("{\"type\":\"token\",");
    assertThat(broken.payloadBytes()).isEqualTo(malformed.length);
    assertThat(broken.payloadSha256()).isEqualTo(DeadLetter.sha256(malformed));
    assertThat(broken.time()).isEqualTo(T0.plusSeconds(1));
    assertThat(letters.get(0).record().key()).isEqualTo("g-1");
    assertThat(letters.get(0).record().timestamp()).isEqualTo(2);
    assertThat(new String(letters.get(0).record().headers().lastHeader(DeadLetters.REASON).value(), UTF_8))
        .isEqualTo("json.malformed");

    DeadLetter unkeyed = (DeadLetter) letters.get(1).record().value();
    assertThat(unkeyed.key()).isNull();
    assertThat(unkeyed.sourceOffset()).isEqualTo(2L);
    assertThat(unkeyed.message()).contains("\"g-1\"");
    assertThat(unkeyed.payloadSha256()).isEqualTo(DeadLetter.sha256(valid));

    DeadLetter misrouted = (DeadLetter) letters.get(2).record().value();
    assertThat(misrouted.key()).isEqualTo("g-9");
    assertThat(misrouted.message()).isEqualTo("the record key must equal generation_id \"g-1\"");
    assertThat(letters.get(2).record().key()).isEqualTo("g-9");
  }

  private void send(String key, byte[] value, long timestamp) {
    context.setRecordMetadata(TOPIC, 2, offset++);
    processor.process(new Record<>(key == null ? null : key.getBytes(UTF_8), value, timestamp));
  }

  private static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decode-processor");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
  }
}
