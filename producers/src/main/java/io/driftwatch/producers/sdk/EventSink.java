package io.driftwatch.producers.sdk;

import io.driftwatch.contract.GenerationEvent;
import java.time.Clock;

/**
 * Where a {@link GenerationStream} puts its events: a {@link DriftwatchProducer} (waits for Kafka when
 * it must, loses nothing: for replays and tools) or a {@link TokenStreamPublisher} (never waits, drops
 * and counts when it must: for applications serving live traffic).
 */
public interface EventSink {

  void publish(GenerationEvent event);

  /** The clock that stamps event times. */
  Clock clock();

  /** Publishes the start event of a new generation and returns the stream to publish its tokens on. */
  default GenerationStream begin(GenerationInfo info) {
    publish(new GenerationEvent.Start(GenerationEvent.SCHEMA_VERSION, info.generationId(), info.runId(), info.model(),
        info.prompt(), info.sampling(), info.attributes(), clock().instant()));
    return new GenerationStream(this, info.generationId());
  }
}
