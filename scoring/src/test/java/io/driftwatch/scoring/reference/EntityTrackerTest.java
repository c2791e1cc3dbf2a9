package io.driftwatch.scoring.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EntityTrackerTest {

  @Test
  void stayingWithTheCommittedEntitiesScoresLow() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Elizabeth and Darcy.");
    t.observe("Then Elizabeth met Darcy at the ball.", 0, true, 3, 0L, 16);
    t.observe("At first Darcy ignored her.", 1, false, 3, 10L, 16);
    t.observe("Later Elizabeth forgave him.", 2, false, 3, 20L, 16);
    EntityTracker.Reading r = t.reading(3);
    // Window: 4 entity mentions, all committed, and 2 pronouns: full continuation, nothing new, nothing abandoned.
    assertThat(r.continuation()).isEqualTo(1.0);
    assertThat(r.newEntities()).isEqualTo(0.0);
    assertThat(r.abandoned()).isEqualTo(0.0);
    assertThat(r.drift()).isEqualTo(0.0);
  }

  @Test
  void swappingThePeopleScoresHighWithThePartsVisible() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Elizabeth and Darcy.");
    t.observe("Then Elizabeth met Darcy at the ball.", 0, true, 2, 0L, 16);
    t.observe("Later Natalia met Anton in Moscow.", 1, false, 2, 10L, 16);
    t.observe("And Anton wrote to Natalia.", 2, false, 2, 20L, 16);
    EntityTracker.Reading r = t.reading(2);
    // Window (2 sentences): 5 entity mentions, none committed; both committed entities abandoned.
    assertThat(r.newEntities()).isEqualTo(1.0);
    assertThat(r.abandoned()).isEqualTo(1.0);
    assertThat(r.continuation()).isEqualTo(0.0);
    assertThat(r.drift()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void nothingIsAbandonedBeforeItHadTheChanceToRecur() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Elizabeth and Darcy.");
    t.observe("Then Elizabeth walked to the village.", 0, true, 3, 0L, 16);
    assertThat(t.reading(3).abandoned()).isNaN();
    t.observe("The road was long.", 1, false, 3, 10L, 16);
    t.observe("She rested by the river.", 2, false, 3, 20L, 16);
    assertThat(t.reading(3).abandoned()).isEqualTo(0.5);
  }

  @Test
  void possessivesAndFirstNamesAreTheSameEntity() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Nick Carraway.");
    t.observe("Nick's cousin lived across the bay.", 0, true, 3, 0L, 16);
    t.observe("Later, Nick drove to the city with Carraway's friend Tom.", 1, false, 3, 10L, 16);
    assertThat(t.table()).containsOnlyKeys("carraway", "tom");
    assertThat(t.reading(3).newEntities()).isCloseTo(1.0 / 4, within(1e-12));
  }

  @Test
  void theEntityShiftFindsWhereTheCastWasReplaced() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Elizabeth and Darcy.");
    String[] text = {
        "Elizabeth met Darcy at the ball.", "Darcy ignored Elizabeth.", "Elizabeth laughed at Darcy.",
        "Later Natalia met Anton.", "Anton wrote to Natalia.", "Natalia answered Anton."};
    for (int i = 0; i < text.length; i++) {
      t.observe(text[i], i, i < 2, 3, i * 10L, 16);
    }
    EntityTracker.Shift shift = t.shift(16);
    assertThat(shift.at()).isEqualTo(30L);
    // Before: a cast of two (Elizabeth and Darcy), both gone; after: 6 mentions, all of recurring new names.
    assertThat(shift.value()).isCloseTo(6.0 / 7 * 2 / 3, within(1e-12));

    EntityTracker steady = new EntityTracker();
    steady.observePrompt("Tell me about Elizabeth and Darcy.");
    String[] joined = {
        "Elizabeth met Darcy at the ball.", "Darcy ignored Elizabeth.", "Elizabeth laughed at Darcy.",
        "Later Jane met Darcy.", "Elizabeth wrote to Jane.", "Darcy answered Elizabeth."};
    for (int i = 0; i < joined.length; i++) {
      steady.observe(joined[i], i, i < 2, 3, i * 10L, 16);
    }
    assertThat(steady.shift(16).value()).isLessThan(0.2);
  }

  @Test
  void withoutCommitmentsOnlyNewEntitiesAreDefined() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Write a poem.");
    t.observe("The sea was grey.", 0, true, 3, 0L, 16);
    t.observe("Then Anton came.", 1, false, 3, 10L, 16);
    EntityTracker.Reading r = t.reading(3);
    assertThat(r.continuation()).isNaN();
    assertThat(r.abandoned()).isNaN();
    assertThat(r.newEntities()).isEqualTo(1.0);
    assertThat(r.drift()).isEqualTo(1.0);
  }

  @Test
  void aNameThatOpensSentencesCountsOnceTheTextUsedItAsAName() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Elizabeth and Darcy.");
    String[] text = {
        "Elizabeth met Darcy at the ball.", "Darcy ignored Elizabeth.", "Elizabeth laughed at Darcy.",
        "Natalia smiled.", "Anton bowed.", "Natalia answered.", "Then Anton wrote to Natalia."};
    for (int i = 0; i < text.length; i++) {
      t.observe(text[i], i, i < 2, 3, i * 10L, 16);
    }
    // The sentence-opening "Natalia" and "Anton" of sentences 3 to 5 count once sentence 6 names both
    // mid-sentence: 5 fresh mentions after the split at sentence 3, none kept, the cast of two gone.
    EntityTracker.Shift shift = t.shift(16);
    assertThat(shift.at()).isEqualTo(30L);
    assertThat(shift.value()).isCloseTo(5.0 / 6 * 2 / 3, within(1e-12));
  }

  @Test
  void aSentenceOpeningWordNeverUsedAsANameIsNoMention() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Elizabeth and Darcy.");
    String[] text = {
        "Elizabeth met Darcy at the ball.", "Darcy ignored Elizabeth.", "Elizabeth laughed at Darcy.",
        "Fog rose.", "Rain fell.", "Fog thickened.", "Rain stopped."};
    for (int i = 0; i < text.length; i++) {
      t.observe(text[i], i, i < 2, 3, i * 10L, 16);
    }
    // "Fog" and "Rain" open sentences but are never used as names: no fresh mentions, nothing replaced.
    assertThat(t.shift(16).value()).isEqualTo(0.0);
  }

  @Test
  void theEntityShiftSurvivesTheStateCodec() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Elizabeth and Darcy.");
    String[] text = {"Elizabeth met Darcy.", "Darcy left.", "Natalia smiled.", "Anton bowed.", "Then Anton met Natalia."};
    for (int i = 0; i < text.length; i++) {
      t.observe(text[i], i, i < 2, 3, i * 10L, 16);
    }
    io.driftwatch.scoring.state.StateOutput out = new io.driftwatch.scoring.state.StateOutput();
    t.writeTo(out);
    EntityTracker back = EntityTracker.readFrom(new io.driftwatch.scoring.state.StateInput(out.toByteArray()));
    assertThat(back.shift(16)).isEqualTo(t.shift(16));
    assertThat(back.shift(16).at()).isGreaterThanOrEqualTo(0);
  }
}
