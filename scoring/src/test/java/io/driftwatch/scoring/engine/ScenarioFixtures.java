package io.driftwatch.scoring.engine;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Labelled generations made from the demo scenarios, as the events a producer would send. */
final class ScenarioFixtures {

  static final DemoCorpus CORPUS = DemoCorpus.load();
  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

  /** One labelled generation. */
  record Case(Scenario scenario, String generationId, List<GenerationEvent> events) {}

  private ScenarioFixtures() {}

  static List<Case> cases(Scenario scenario, int count, int tokens, long seed) {
    Random random = new Random(seed);
    List<Case> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Scenario.Script script = scenario.script(CORPUS, random, tokens);
      String id = scenario.label() + "-" + seed + "-" + i;
      out.add(new Case(scenario, id, events(id, script)));
    }
    return out;
  }

  static List<GenerationEvent> events(String id, Scenario.Script script) {
    List<GenerationEvent> events = new ArrayList<>();
    events.add(new GenerationEvent.Start(1, id, "fixture", "fixture-model", script.prompt(), null,
        Map.of("scenario", script.scenario().label()), T0));
    for (int seq = 0; seq < script.tokens().size(); seq++) {
      events.add(new GenerationEvent.Token(1, id, (long) seq, script.tokens().get(seq), null, null, null, T0.plusMillis(25L * (seq + 1))));
    }
    events.add(new GenerationEvent.End(1, id, "length", T0.plusMillis(25L * (script.tokens().size() + 1))));
    return events;
  }
}
