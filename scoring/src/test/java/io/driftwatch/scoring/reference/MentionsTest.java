package io.driftwatch.scoring.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MentionsTest {

  @Test
  void findsNamesWithTheirTitlesAndPronouns() {
    Mentions.Found f = Mentions.in("Then Mr. Darcy bowed to Jane Bennet, and she smiled at him.", Set.of());
    assertThat(f.entities()).containsExactly("darcy", "bennet");
    assertThat(f.pronouns()).isEqualTo(2);
  }

  @Test
  void aCapitalisedFirstWordIsANameOnlyWhenKnown() {
    assertThat(Mentions.in("Elizabeth laughed. When it rained, Darcy left.", Set.of()).entities()).containsExactly("darcy");
    assertThat(Mentions.in("Elizabeth laughed. When it rained, Darcy left.", Set.of("elizabeth")).entities())
        .containsExactly("elizabeth", "darcy");
  }

  @Test
  void sentenceStartPronounsCountAndIIsNoName() {
    Mentions.Found f = Mentions.in("She knew. I agreed. They went to London.", Set.of());
    assertThat(f.entities()).containsExactly("london");
    assertThat(f.pronouns()).isEqualTo(2);
  }

  @Test
  void aCapitalAfterAnOpeningQuoteIsASentenceStart() {
    Mentions.Found f = Mentions.in("“Perfectly. I agree,” said Darcy. “_Comment?_ Yes.”", Set.of());
    assertThat(f.entities()).containsExactly("darcy");
    assertThat(f.openers()).containsExactly("perfectly", "comment");
  }

  @Test
  void unknownSentenceOpenersAreKeptApartAndKnownOnesAreMentions() {
    Mentions.Found f = Mentions.in("Natalia smiled. Then Anton bowed. Darcy left.", Set.of("darcy"));
    assertThat(f.entities()).containsExactly("anton", "darcy");
    assertThat(f.openers()).containsExactly("natalia");
  }

  @Test
  void codeTablesAndDataRecordsNameNobody() {
    assertThat(Mentions.in("| Audit log | Free | Team |", Set.of()).entities()).isEmpty();
    assertThat(Mentions.in("{\"name\": \"Rosa Silva\", \"email\": \"rosa@example.com\"}", Set.of()).entities()).isEmpty();
    assertThat(Mentions.in("INSERT INTO t (id, name) VALUES (14, 'Elif Tanaka');", Set.of()).entities()).isEmpty();
    assertThat(Mentions.in("Then Darcy (who had said little) bowed to Jane Bennet.", Set.of()).entities()).containsExactly("darcy", "bennet");
  }
}
