package io.driftwatch.producers.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The calibration corpora keep the promises their documentation makes. */
class CalibrationCorporaTest {

  @Test
  void legitimateRepetitionCoversEveryKindWithinItsLengths() {
    List<LabelledText> texts = LegitimateRepetition.standard();
    assertThat(texts).hasSizeGreaterThanOrEqualTo(120);
    assertThat(texts.stream().map(LabelledText::genre).distinct()).containsExactlyInAnyOrderElementsOf(LegitimateRepetition.GENRES);
    for (LabelledText t : texts) {
      assertThat(Books.words(t.text())).as(t.id()).isBetween(LegitimateRepetition.MIN_WORDS, LegitimateRepetition.MAX_WORDS);
      assertThat(t.prompt()).as(t.id()).isNotBlank();
      assertThat(t.scenario()).isEqualTo(LegitimateRepetition.SCENARIO);
      assertThat(t.changeAt()).isEqualTo(-1);
    }
    assertThat(texts.stream().map(LabelledText::id).distinct()).hasSameSizeAs(texts);
    assertThat(texts.stream().filter(t -> t.genre().equals("verse")).map(LabelledText::text))
        .anyMatch(text -> text.contains("When daffodils begin to peer,"));
    assertHalves(texts);
  }

  @Test
  void loopsStartAtTheirOffsetAfterAPassageOfTheBook() {
    List<LabelledText> texts = LoopScenarios.standard();
    Map<String, Long> kinds = texts.stream().collect(Collectors.groupingBy(LoopScenarios::kind, Collectors.counting()));
    assertThat(kinds.keySet()).containsExactlyInAnyOrderElementsOf(LoopScenarios.KINDS);
    for (LabelledText t : texts) {
      String passage = t.text().substring(0, t.changeAt());
      String loop = t.text().substring(t.changeAt());
      assertThat(Books.words(passage)).as(t.id()).isBetween(50, 300);
      assertThat(Books.paragraphs(t.genre()).stream().anyMatch(p -> p.contains(passage.strip().substring(0, 40)))).as(t.id()).isTrue();
      assertThat(loop).as(t.id()).isNotBlank();
      if (LoopScenarios.kind(t).equals("counter")) {
        assertThat(loop).as(t.id()).containsPattern("\\d");
      }
    }
    assertHalves(texts);
  }

  @Test
  void theCorporaAreTheSameForTheSameSeedAndDifferForAnother() {
    assertThat(LegitimateRepetition.generate(3, 4)).isEqualTo(LegitimateRepetition.generate(3, 4))
        .isNotEqualTo(LegitimateRepetition.generate(4, 4));
    assertThat(LoopScenarios.generate(3, 12)).isEqualTo(LoopScenarios.generate(3, 12)).isNotEqualTo(LoopScenarios.generate(4, 12));
  }

  /** About half of each corpus is held out, and the choice depends on the id alone. */
  private static void assertHalves(List<LabelledText> texts) {
    long held = texts.stream().filter(LabelledText::holdout).count();
    assertThat((double) held / texts.size()).isBetween(0.4, 0.6);
    Map<String, Boolean> byId = texts.stream().collect(Collectors.toMap(LabelledText::id, LabelledText::holdout));
    byId.forEach((id, holdout) -> assertThat(Books.holdout(id)).isEqualTo(holdout));
    assertThat(texts.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())).values()).allMatch(n -> n == 1);
  }
}
