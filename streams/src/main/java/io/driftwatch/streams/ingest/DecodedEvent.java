package io.driftwatch.streams.ingest;

import io.driftwatch.contract.GenerationEvent;

/**
 * A valid event on its way through the topology, with the bytes it came from, so that a stateful
 * rejection later on can still put the original record on the dead-letter topic, unchanged.
 */
public record DecodedEvent(GenerationEvent event, byte[] key, byte[] value) {}
