package io.driftwatch.streams.ingest;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.InvalidEventException;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First step of every topology: turns raw records of the tokens topic into {@link GenerationEvent}s, and
 * anything that is not a valid event into a {@link DeadLetter} naming the rule it broke. Nothing throws:
 * a bad record never stops the monitor and is never silently dropped.
 */
public final class DecodeProcessor implements Processor<byte[], byte[], String, Object> {

  private final List<String> eventsChildren;
  private final String deadLettersChild;
  private final DriftwatchMetrics metrics;
  private ProcessorContext<String, Object> context;

  /**
   * @param eventsChildren the processors that receive valid events, keyed by generation id (the scorer, and
   *     the web view when it is on)
   * @param deadLettersChild the sink that receives dead letters
   */
  public DecodeProcessor(List<String> eventsChildren, String deadLettersChild, DriftwatchMetrics metrics) {
    this.eventsChildren = List.copyOf(eventsChildren);
    this.deadLettersChild = deadLettersChild;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    try {
      GenerationEvent event = EventCodec.decode(record.value());
      checkKey(record.key(), event);
      metrics.event(event.typeName());
      // The raw bytes go along so that a stateful rejection downstream can dead-letter the record unchanged.
      Record<String, Object> decoded =
          new Record<>(event.generationId(), new DecodedEvent(event, record.key(), record.value()), record.timestamp());
      for (String child : eventsChildren) {
        context.forward(decoded, child);
      }
    } catch (InvalidEventException e) {
      deadLetter(record, e.rule(), e.detail());
    }
  }

  /** The key decides the partition, so a wrong key would split a generation across partitions. */
  private static void checkKey(byte[] key, GenerationEvent event) throws InvalidEventException {
    if (key == null) {
      throw new InvalidEventException("key.required",
          "records must be keyed by generation id (\"" + event.generationId() + "\") so a generation stays on one partition");
    }
    if (!Arrays.equals(key, event.generationId().getBytes(StandardCharsets.UTF_8))) {
      throw new InvalidEventException("key.mismatch",
          "the record key must equal generation_id \"" + event.generationId() + "\"");
    }
  }

  private void deadLetter(Record<byte[], byte[]> record, String rule, String message) {
    metrics.deadLetter(rule);
    context.forward(DeadLetters.of(context, record.key(), record.value(), record.timestamp(), rule, message), deadLettersChild);
  }
}
