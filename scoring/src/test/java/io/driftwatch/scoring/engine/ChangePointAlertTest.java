package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.text.SimpleTokenizer;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An alert on a change-point score starts where the change began, not where it was seen. */
class ChangePointAlertTest {

  private static final String BEFORE = "Elizabeth walked with Darcy to the village. Darcy spoke of Pemberley and Elizabeth listened. "
      + "Elizabeth thought Darcy kinder than before. They met Jane at the gate, and Jane smiled at Elizabeth. ";
  private static final String AFTER = "Natalia waited for Anton by the river. Anton brought letters for Natalia. "
      + "Natalia read them while Anton watched the boats. Later Anton and Natalia walked home together. "
      + "Anton said little, and Natalia was glad of it.";

  @Test
  void theEntityShiftAlertStartsAtTheFirstSentenceOfTheNewCast() {
    AlertRule rule = new AlertRule("entity_shift", "entity_shift", 0.5, 0.3, 2, 2);
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS.withAlertRules(List.of(rule)));
    InMemoryGenerationStore store = new InMemoryGenerationStore();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<ScoreRecord> records = new ArrayList<>();
    List<AlertEvent> alerts = new ArrayList<>();
    collect(engine.process(new GenerationEvent.Start(1, "g", "r", "m", "Tell me about Elizabeth and Darcy.", null, Map.of(), t), store),
        records, alerts);
    List<String> tokens = SimpleTokenizer.tokenize(BEFORE + AFTER);
    long swapSeq = -1;
    int offset = 0;
    for (int seq = 0; seq < tokens.size(); seq++) {
      if (swapSeq < 0 && offset >= BEFORE.length() - 1) {
        swapSeq = seq;
      }
      offset += tokens.get(seq).length();
      collect(engine.process(new GenerationEvent.Token(1, "g", (long) seq, tokens.get(seq), null, null, null, t.plusMillis(seq)), store),
          records, alerts);
    }
    collect(engine.process(new GenerationEvent.End(1, "g", "stop", t.plusSeconds(60)), store), records, alerts);

    AlertEvent firing = alerts.stream().filter(a -> a.state().equals(AlertEvent.FIRING)).findFirst().orElseThrow();
    assertThat(firing.firstSeq()).isEqualTo(swapSeq);
    assertThat(firing.lastSeq()).isGreaterThan(swapSeq);
    ScoreRecord seen = records.stream().filter(r -> r.lastSeq() == firing.lastSeq()).findFirst().orElseThrow();
    assertThat(seen.scores().get("entity_shift_at")).isEqualTo((double) swapSeq);
  }

  private static void collect(Output out, List<ScoreRecord> records, List<AlertEvent> alerts) {
    records.addAll(out.scores());
    alerts.addAll(out.alerts());
  }
}
