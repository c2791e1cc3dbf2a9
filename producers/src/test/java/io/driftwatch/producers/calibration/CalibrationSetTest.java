package io.driftwatch.producers.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CalibrationSetTest {

  private static final List<LabelledText> SET = CalibrationSet.build(7, 12);

  @Test
  void theSameSeedGivesTheSameSet() {
    assertThat(CalibrationSet.build(7, 12)).isEqualTo(SET);
    assertThat(CalibrationSet.build(8, 12)).isNotEqualTo(SET);
  }

  @Test
  void everyGenreHasEveryScenarioAndNameSwapsOnlyWhereThereAreCharacters() {
    Map<String, Map<String, Long>> counts = SET.stream().collect(Collectors.groupingBy(LabelledText::genre,
        Collectors.groupingBy(LabelledText::scenario, Collectors.counting())));
    assertThat(counts).hasSize(CalibrationSet.GENRES.size());
    for (CalibrationSet.Genre genre : CalibrationSet.GENRES) {
      assertThat(counts.get(genre.name())).containsEntry(CalibrationSet.STEADY, 12L).containsEntry(CalibrationSet.SPLICE, 12L);
      assertThat(counts.get(genre.name()).getOrDefault(CalibrationSet.NAME_SWAP, 0L)).isEqualTo(genre.narrative() ? 12L : 0L);
    }
  }

  @Test
  void passagesAreOfTheDocumentedLengthAndEndASentence() {
    for (LabelledText t : SET) {
      int words = CalibrationSet.wordCount(t.text());
      assertThat(words).as(t.id()).isBetween(CalibrationSet.MIN_WORDS - 5, CalibrationSet.MAX_WORDS + 120);
      assertThat(t.prompt()).as(t.id()).isNotBlank();
      assertThat(t.text().strip()).as(t.id()).matches("(?s).*[.!?][\"'”’)\\]]*");
    }
  }

  @Test
  void changesLieBetweenThirtyAndSeventyPercentAndOnlyAlteredTextsHaveOne() {
    for (LabelledText t : SET) {
      if (t.scenario().equals(CalibrationSet.STEADY)) {
        assertThat(t.changeAt()).isEqualTo(-1);
        continue;
      }
      double share = (double) CalibrationSet.wordCount(t.text().substring(0, t.changeAt())) / CalibrationSet.wordCount(t.text());
      assertThat(share).as(t.id()).isBetween(0.2, 0.85);
    }
  }

  @Test
  void aNameSwapRenamesFromItsChangeOnAndNotBefore() {
    for (LabelledText t : SET) {
      if (!t.scenario().equals(CalibrationSet.NAME_SWAP)) {
        continue;
      }
      String renamed = t.text().substring(t.changeAt()).split("[^\\p{L}]")[0];
      assertThat(renamed).as(t.id()).isNotEmpty();
      assertThat(t.prompt() + t.text().substring(0, t.changeAt())).as(t.id()).doesNotContain(renamed);
    }
  }

  @Test
  void theHalvesAreAboutEqualAndDecidedByTheIdAlone() {
    long held = SET.stream().filter(LabelledText::holdout).count();
    assertThat((double) held / SET.size()).isBetween(0.4, 0.6);
    for (LabelledText t : SET) {
      assertThat(t.holdout()).isEqualTo(Books.holdout(t.id()));
    }
  }
}
