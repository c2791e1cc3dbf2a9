package io.driftwatch.producers.calibration;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.text.SimpleTokenizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A labelled text as a model would stream it: a start with the prompt, one token event per
 * {@link SimpleTokenizer} token 25 ms apart, and an end; with the token where its change begins.
 *
 * @param changeSeq seq of the token holding the text's change offset; -1 for texts left as they were
 */
public record CalibrationEvents(List<GenerationEvent> events, long changeSeq) {

  /** Event time of every start: fixed, so that scoring the set twice gives the same records. */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  public CalibrationEvents {
    events = List.copyOf(events);
  }

  public static CalibrationEvents of(LabelledText text, String runId, String model) {
    List<GenerationEvent> events = new ArrayList<>();
    Instant t = START;
    String id = text.id();
    events.add(new GenerationEvent.Start(GenerationEvent.SCHEMA_VERSION, id, runId, model, text.prompt(), null,
        Map.of("scenario", text.scenario(), "genre", text.genre()), t));
    long changeSeq = -1;
    int offset = 0;
    long seq = 0;
    for (String token : SimpleTokenizer.tokenize(text.text())) {
      if (changeSeq < 0 && text.altered() && offset + token.length() > text.changeAt()) {
        changeSeq = seq;
      }
      offset += token.length();
      t = t.plusMillis(25);
      events.add(new GenerationEvent.Token(GenerationEvent.SCHEMA_VERSION, id, seq++, token, null, null, null, t));
    }
    if (text.altered() && changeSeq < 0) {
      changeSeq = seq;
    }
    events.add(new GenerationEvent.End(GenerationEvent.SCHEMA_VERSION, id, "stop", t.plusMillis(25)));
    return new CalibrationEvents(events, changeSeq);
  }
}
