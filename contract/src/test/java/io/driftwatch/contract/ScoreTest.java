package io.driftwatch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScoreTest {

  @Test
  void wireNamesAreLowerSnakeCaseAndTheConstantsNameInCapitals() {
    for (Score score : Score.values()) {
      assertThat(score.wireName()).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*");
      assertThat(score.name()).isEqualTo(score.wireName().toUpperCase(java.util.Locale.ROOT));
    }
  }

  @Test
  void everyScoreHasAHelpLineAndARange() {
    for (Score score : Score.values()) {
      assertThat(score.help()).as(score.wireName()).isNotBlank().doesNotEndWith(".");
      assertThat(score.min()).as(score.wireName()).isLessThan(score.max());
      assertThat(score.unit()).as(score.wireName()).isNotNull();
    }
  }

  @Test
  void theAlertableScoresAreTheChangePointsLoopsAndDriftIndices() {
    assertThat(Score.alertable()).containsExactlyInAnyOrder(Score.TOPIC_SHIFT, Score.NEIGHBOUR_SHIFT, Score.ENTITY_SHIFT, Score.LOOP_REPEATS,
        Score.DRIFT_INDEX, Score.SEMANTIC_DRIFT_INDEX, Score.REFERENTIAL_DRIFT);
    assertThat(Score.alertable()).allSatisfy(s -> assertThat(s.direction()).isEqualTo(Score.Direction.HIGHER_IS_WORSE));
  }

  @Test
  void everyOnsetScoreBelongsToAnAlertableScoreOfTheSameFamily() {
    for (Score score : Score.values()) {
      if (score.wireName().endsWith(Score.ONSET_SUFFIX)) {
        String measured = score.wireName().substring(0, score.wireName().length() - Score.ONSET_SUFFIX.length());
        Score of = Score.byWireName(measured).orElseThrow();
        assertThat(of.isAlertable()).as(measured).isTrue();
        assertThat(of.family()).isEqualTo(score.family());
        assertThat(Score.onsetName(measured)).isEqualTo(score.wireName());
      }
    }
    assertThat(Score.onsetName(Score.TOPIC_SHIFT.wireName())).isEqualTo(Score.TOPIC_SHIFT_AT.wireName());
  }

  @Test
  void knownNamesAreTheWireNamesAndTheAlertableScoresMaximaAndPercentiles() {
    assertThat(Arrays.stream(Score.values()).map(Score::wireName)).allMatch(Score::isKnown);
    assertThat(Score.isKnown("max_topic_shift")).isTrue();
    assertThat(Score.isKnown("topic_shift_pct")).isTrue();
    assertThat(Score.isKnown("max_loop_repeats_pct")).isTrue();
    assertThat(Score.TOPIC_SHIFT.maxName()).isEqualTo("max_topic_shift");

    assertThat(Score.isKnown("max_local_coherence")).as("not alertable: no maximum").isFalse();
    assertThat(Score.isKnown("local_coherence_pct")).as("not alertable: no percentile").isFalse();
    assertThat(Score.isKnown("topic_shit")).isFalse();
    assertThat(Score.isKnown("max_")).isFalse();
    assertThat(Score.isKnown("_pct")).isFalse();
    assertThat(Score.isKnown("")).isFalse();
    assertThat(Score.isKnown(null)).isFalse();
  }

  @Test
  void semanticScoresAreExactlyTheEmbeddingFamily() {
    assertThat(Score.SEMANTIC_DRIFT_INDEX.isSemantic()).isTrue();
    assertThat(Score.TOPIC_SHIFT_AT.isSemantic()).isTrue();
    assertThat(Score.ENTITY_SHIFT.isSemantic()).isFalse();
    assertThat(Score.TOKENS_PER_SECOND.isSemantic()).isFalse();
  }

  @Test
  void coverageLooksUpTheAttributionCoverageOfALength() {
    assertThat(Score.coverage(5)).isEqualTo(Score.COVERAGE_5);
    assertThat(Score.coverage(12)).isEqualTo(Score.COVERAGE_12);
    assertThatThrownBy(() -> Score.coverage(13)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("13");
    assertThatThrownBy(() -> Score.coverage(4)).isInstanceOf(IllegalArgumentException.class);
  }
}
