package io.driftwatch.scoring.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EntityTrackerTest {

  @Test
  void stayingWithTheCommittedEntitiesScoresLow() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Tell me about Elizabeth and Darcy.");
    t.observe("Then Elizabeth met Darcy at the ball.", 0, true, 3);
    t.observe("At first Darcy ignored her.", 1, false, 3);
    t.observe("Later Elizabeth forgave him.", 2, false, 3);
    EntityTracker.Reading r = t.reading();
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
    t.observe("Then Elizabeth met Darcy at the ball.", 0, true, 2);
    t.observe("Later Natalia met Anton in Moscow.", 1, false, 2);
    t.observe("And Anton wrote to Natalia.", 2, false, 2);
    EntityTracker.Reading r = t.reading();
    // Window (2 sentences): 5 entity mentions, none committed; both committed entities abandoned.
    assertThat(r.newEntities()).isEqualTo(1.0);
    assertThat(r.abandoned()).isEqualTo(1.0);
    assertThat(r.continuation()).isEqualTo(0.0);
    assertThat(r.drift()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void withoutCommitmentsOnlyNewEntitiesAreDefined() {
    EntityTracker t = new EntityTracker();
    t.observePrompt("Write a poem.");
    t.observe("The sea was grey.", 0, true, 3);
    t.observe("Then Anton came.", 1, false, 3);
    EntityTracker.Reading r = t.reading();
    assertThat(r.continuation()).isNaN();
    assertThat(r.abandoned()).isNaN();
    assertThat(r.newEntities()).isEqualTo(1.0);
    assertThat(r.drift()).isEqualTo(1.0);
  }
}
