package io.driftwatch.streams.serde;

import io.driftwatch.contract.DeadLetter;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The last step before an output record goes to Kafka: a value too large for its topic is replaced,
 * never sent. Sent, the broker would refuse it (RecordTooLargeException), which aborts the whole
 * exactly-once transaction; the stream thread would then fail and meet the same record again after
 * every restart, and nothing behind it would be scored. A production exception handler cannot help:
 * by the time it is called the transaction is already lost.
 *
 * <p>What replaces it: first {@code smaller}, the same record with its bulky fields dropped (a dead
 * letter without its payload prefix); when there is none or that is still too large, a marker object
 * {@code {"v":1,"marker":"record.too_large","topic":...,"bytes":...,"sha256":...}} giving the size and
 * SHA-256 of the serialized value it stands for. Each replacement is reported to {@code replaced}.
 */
public final class FittingSerializer<T> implements Serializer<T> {

  /**
   * Largest value written to an output topic: Kafka's default limit for a record batch (broker
   * {@code message.max.bytes}, topic {@code max.message.bytes}) is 1,048,588 bytes, and the key, the
   * headers and the batch overhead need room beside the value.
   */
  public static final int MAX_VALUE_BYTES = 1_000_000;

  /** The {@code marker} field of a replacement. */
  public static final String TOO_LARGE = "record.too_large";

  private final Serializer<T> inner;
  private final int maxBytes;
  private final UnaryOperator<T> smaller;
  private final Consumer<String> replaced;

  public FittingSerializer(Serializer<T> inner, int maxBytes, UnaryOperator<T> smaller, Consumer<String> replaced) {
    if (maxBytes < 256) {
      throw new IllegalArgumentException("maxBytes must leave room for a marker, got " + maxBytes);
    }
    this.inner = inner;
    this.maxBytes = maxBytes;
    this.smaller = smaller;
    this.replaced = replaced;
  }

  /** For dead letters: the smaller form keeps everything but the payload prefix and the key. */
  public static FittingSerializer<DeadLetter> forDeadLetters(Serializer<DeadLetter> inner, int maxBytes, Consumer<String> replaced) {
    return new FittingSerializer<>(inner, maxBytes, d -> new DeadLetter(d.v(), d.reason(), d.message(), d.sourceTopic(),
        d.sourcePartition(), d.sourceOffset(), null, d.key() == null ? null : Boolean.TRUE, null, null, d.payloadBytes(),
        d.payloadSha256(), d.payload() == null ? d.payloadTruncated() : Boolean.TRUE, d.time()), replaced);
  }

  @Override
  public byte[] serialize(String topic, T value) {
    byte[] bytes = inner.serialize(topic, value);
    if (bytes == null || bytes.length <= maxBytes) {
      return bytes;
    }
    replaced.accept(topic);
    if (smaller != null) {
      byte[] reduced = inner.serialize(topic, smaller.apply(value));
      if (reduced != null && reduced.length <= maxBytes) {
        return reduced;
      }
    }
    Map<String, Object> marker = new LinkedHashMap<>();
    marker.put("v", GenerationEvent.SCHEMA_VERSION);
    marker.put("marker", TOO_LARGE);
    marker.put("topic", topic);
    marker.put("bytes", bytes.length);
    marker.put("sha256", DeadLetter.sha256(bytes));
    return EventCodec.toJson(marker);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public void close() {
    inner.close();
  }
}
