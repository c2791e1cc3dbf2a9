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
