package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.Score;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoresCommandTest {

  @Test
  void theTableListsEveryScoreWithItsMeaning() {
    ArchiveFixtures.Run run = ArchiveFixtures.run("scores");
    assertThat(run.status()).isZero();
    for (Score score : Score.values()) {
      assertThat(run.out()).contains(score.wireName()).contains(score.help());
    }
    assertThat(run.out()).containsPattern("topic_shift \\*\\s+semantic\\s+higher\\s+>= -1\\s+-\\s+Topic shift")
        .containsPattern("global_commitment\\s+lexical\\s+lower\\s+0 to 1\\s")
        .contains("max_<score>");
  }

  @Test
  void theJsonHasOneObjectPerScoreAndLeavesOpenRangeEndsOut() throws Exception {
    ArchiveFixtures.Run run = ArchiveFixtures.run("scores", "--format", "json");
    assertThat(run.status()).isZero();
    JsonNode rows = EventCodec.MAPPER.readTree(run.out());
    List<String> names = new ArrayList<>();
    rows.forEach(row -> names.add(row.path("name").asText()));
    assertThat(names).containsExactly(java.util.Arrays.stream(Score.values()).map(Score::wireName).toArray(String[]::new));
    JsonNode loop = rows.get(Score.LOOP_REPEATS.ordinal());
    assertThat(loop.path("min").asDouble()).isEqualTo(1.0);
    assertThat(loop.has("max")).isFalse();
    assertThat(loop.path("alertable").asBoolean()).isTrue();
    assertThat(loop.path("direction").asText()).isEqualTo("higher_is_worse");
    assertThat(rows.get(Score.SURPRISAL_TREND.ordinal()).has("min")).isFalse();
  }

  @Test
  void rangesReadAsBoundsOrAny() {
    assertThat(ScoresCommand.range(Score.DRIFT_INDEX)).isEqualTo("-1 to 1");
    assertThat(ScoresCommand.range(Score.TOKENS_PER_SECOND)).isEqualTo(">= 0");
    assertThat(ScoresCommand.range(Score.SURPRISAL_TREND)).isEqualTo("any");
  }

  @Test
  void anUnknownFormatIsExplained() {
    ArchiveFixtures.Run run = ArchiveFixtures.run("scores", "--format", "yaml");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--format").contains("yaml");
  }
}
