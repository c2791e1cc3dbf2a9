package io.driftwatch.producers.tap;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.EventSink;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** An event sink that keeps what it is given, with a fixed clock so that runs compare equal. */
final class RecordingSink implements EventSink {

  final List<GenerationEvent> events = new ArrayList<>();
  private final Clock clock;

  RecordingSink() {
    this(Clock.fixed(Instant.parse("2026-11-24T06:00:00Z"), ZoneOffset.UTC));
  }

  /** With a clock of the test's, e.g. one that moves at every reading. */
  RecordingSink(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void publish(GenerationEvent event) {
    events.add(event);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  List<GenerationEvent> of(String generationId) {
    return events.stream().filter(e -> e.generationId().equals(generationId)).toList();
  }

  List<GenerationEvent.Token> tokens(String generationId) {
    return of(generationId).stream().filter(GenerationEvent.Token.class::isInstance).map(GenerationEvent.Token.class::cast).toList();
  }

  String text(String generationId) {
    StringBuilder out = new StringBuilder();
    tokens(generationId).forEach(t -> out.append(t.text()));
    return out.toString();
  }
}
