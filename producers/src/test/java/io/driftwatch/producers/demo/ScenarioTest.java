package io.driftwatch.producers.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  private static final DemoCorpus CORPUS = DemoCorpus.load();

  @Test
  void corpusHoldsProseWithoutTheGutenbergLicence() {
    assertThat(CORPUS.books()).extracting(DemoCorpus.Book::name).containsExactly("pride_and_prejudice", "frankenstein", "cape_cod");
    for (DemoCorpus.Book book : CORPUS.books()) {
      assertThat(book.paragraphs()).hasSizeGreaterThan(200);
      assertThat(book.paragraphs()).noneMatch(p -> p.contains("Gutenberg"));
    }
  }

  @Test
  void everyScenarioProducesTheRequestedLength() {
    Random random = new Random(1);
    for (Scenario scenario : Scenario.values()) {
      for (int i = 0; i < 20; i++) {
        Scenario.Script script = scenario.script(CORPUS, random, 200);
        assertThat(script.tokens()).hasSize(200);
        assertThat(script.prompt()).isNotBlank();
        assertThat(script.scenario()).isEqualTo(scenario);
      }
    }
  }

  @Test
  void aLoopRepeatsItselfAndSteadyTextDoesNot() {
    Random random = new Random(2);
    assertThat(distinctTrigramShare(Scenario.REPETITION_LOOP.script(CORPUS, random, 300).tokens().subList(150, 300))).isLessThan(0.4);
    assertThat(distinctTrigramShare(Scenario.STEADY.script(CORPUS, random, 300).tokens().subList(150, 300))).isGreaterThan(0.9);
  }

  @Test
  void topicDriftEndsInTheOtherBook() {
    Scenario.Script script = Scenario.TOPIC_DRIFT.script(CORPUS, new Random(3), 400);
    String second = String.join("", script.tokens().subList(200, 400));
    DemoCorpus.Book home = CORPUS.books().stream().filter(b -> b.name().equals(script.source())).findFirst().orElseThrow();
    String probe = second.strip().substring(0, 40);
    // It continues in a book of the other kind (novel versus travel writing): unrelated text.
    assertThat(CORPUS.books()).filteredOn(b -> b.paragraphs().stream().anyMatch(p -> p.contains(probe)))
        .isNotEmpty()
        .allSatisfy(b -> assertThat(b.narrative()).isNotEqualTo(home.narrative()));
    assertThat(script.steadyTwin().tokens()).isEqualTo(script.faithful()).isNotEqualTo(script.tokens());
  }

  @Test
  void anEntitySwapRenamesEstablishedNamesInTheSecondHalfOnly() {
    Scenario.Script script = Scenario.ENTITY_SWAP.script(CORPUS, new Random(4), 480);
    assertThat(script.swappedNames()).isGreaterThanOrEqualTo(8);
    assertThat(script.tokens().subList(0, 240)).isEqualTo(script.faithful().subList(0, 240));
    int changed = 0;
    for (int i = 240; i < 480; i++) {
      if (!script.tokens().get(i).equals(script.faithful().get(i))) {
        changed++;
        assertThat(Character.isUpperCase(script.tokens().get(i).strip().charAt(0))).isTrue();
      }
    }
    assertThat(changed).isEqualTo(script.swappedNames());
  }

  @Test
  void labelsAreKebabCase() {
    assertThat(Scenario.TOPIC_DRIFT.label()).isEqualTo("topic-drift");
  }

  private static double distinctTrigramShare(List<String> tokens) {
    Set<List<String>> seen = new HashSet<>();
    for (int i = 0; i + 3 <= tokens.size(); i++) {
      seen.add(tokens.subList(i, i + 3));
    }
    return (double) seen.size() / (tokens.size() - 2);
  }
}
