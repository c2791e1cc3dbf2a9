package io.driftwatch.streams.ingest;

import io.driftwatch.contract.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds dead-letter records: a bounded prefix of the rejected input with its full length and SHA-256
 * ({@link DeadLetter}), with the rule it broke in the value and in headers ({@value #REASON},
 * {@value #MESSAGE}), so consumers can route on the reason without parsing the value. The record key
 * is the input key, cut like the dead letter's key field when it is longer than
 * {@link DeadLetter#MAX_KEY_BYTES}.
 */
public final class DeadLetters {

  public static final String REASON = "driftwatch.dlq.reason";
  public static final String MESSAGE = "driftwatch.dlq.message";

  private DeadLetters() {}

  public static Record<String, Object> of(ProcessorContext<?, ?> context, byte[] key, byte[] value, long timestamp,
      String reason, String message) {
    RecordMetadata source = context.recordMetadata().orElse(null);
    DeadLetter letter = DeadLetter.of(reason, message,
        source == null ? null : source.topic(),
        source == null ? null : source.partition(),
        source == null ? null : source.offset(),
        key, value, Instant.ofEpochMilli(context.currentSystemTimeMs()));
    Headers headers = new RecordHeaders();
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(MESSAGE, letter.message().getBytes(StandardCharsets.UTF_8));
    return new Record<String, Object>(letter.key(), letter, timestamp, headers);
  }
}
