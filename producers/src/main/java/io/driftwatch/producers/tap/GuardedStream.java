package io.driftwatch.producers.tap;

/** A streamed response under guard: its parser, the recorder behind it, and the guard's decision. */
record GuardedStream(StreamingResponseParser parser, GenerationRecorder recorder, ResponseGuard guard, Endpoint endpoint) {}
