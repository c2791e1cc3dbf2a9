package io.driftwatch.streams.scoring;

import io.driftwatch.scoring.engine.GenerationState;
import io.driftwatch.scoring.engine.StateCodec;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A state-store entry: the engine's state of one open generation, and when this instance last heard of
 * it (wall-clock milliseconds), which only the idle punctuator reads. Stored as 8 bytes of time
 * followed by the state as {@link StateCodec} writes it.
 */
public record OpenGeneration(long lastSeenMillis, GenerationState state) {

  /**
   * Heap bytes of a live state per byte of its encoding: 23.6 KB live against 2.3 KB encoded for
   * ordinary text (docs/memory.md), rounded up.
   */
  static final long HEAP_PER_ENCODED_BYTE = 11;
  /** Encoded bytes a state is taken to have before its first encoding, and at least: an ordinary state's, rounded up. */
  static final long MIN_ENCODED_BYTES = 2_560;
  /** The heap an ordinary live state is taken to take. */
  public static final long ORDINARY_HEAP_BYTES = MIN_ENCODED_BYTES * HEAP_PER_ENCODED_BYTE;

  /**
   * The heap this state is taken to take while live: its latest encoding's bytes (at least an ordinary
   * state's) times what a live state measured per encoded byte. An estimate from ordinary text, cheap
   * enough to ask at every event.
   */
  public long heapEstimate() {
    return Math.max(MIN_ENCODED_BYTES, state.encodedBytes()) * HEAP_PER_ENCODED_BYTE;
  }

  public static Serde<OpenGeneration> serde() {
    Serializer<OpenGeneration> serializer = (topic, open) -> {
      if (open == null) {
        return null;
      }
      byte[] state = StateCodec.encode(open.state());
      return ByteBuffer.allocate(Long.BYTES + state.length).putLong(open.lastSeenMillis()).put(state).array();
    };
    Deserializer<OpenGeneration> deserializer = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      long lastSeen = buffer.getLong();
      byte[] state = new byte[buffer.remaining()];
      buffer.get(state);
      return new OpenGeneration(lastSeen, StateCodec.decode(state));
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
