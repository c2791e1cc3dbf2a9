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
 * followed by the state's JSON.
 */
public record OpenGeneration(long lastSeenMillis, GenerationState state) {

  public static Serde<OpenGeneration> serde() {
    Serializer<OpenGeneration> serializer = (topic, open) -> {
      if (open == null) {
        return null;
      }
      byte[] json = StateCodec.encode(open.state());
      return ByteBuffer.allocate(Long.BYTES + json.length).putLong(open.lastSeenMillis()).put(json).array();
    };
    Deserializer<OpenGeneration> deserializer = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      long lastSeen = buffer.getLong();
      byte[] json = new byte[buffer.remaining()];
      buffer.get(json);
      return new OpenGeneration(lastSeen, StateCodec.decode(json));
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
