package io.driftwatch.producers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedLabelTest {

  @Test
  void admitsTheFirstCapValuesAndFoldsLaterOnesIntoOther() {
    BoundedLabel label = new BoundedLabel(2);
    assertThat(label.of("a")).isEqualTo("a");
    assertThat(label.of("b")).isEqualTo("b");
    assertThat(label.of("c")).isEqualTo(BoundedLabel.OTHER);
    assertThat(label.of("a")).isEqualTo("a");
  }

  @Test
  void aMissingValueIsUnknownAndTakesNoPlace() {
    BoundedLabel label = new BoundedLabel(1);
    assertThat(label.of(null)).isEqualTo(BoundedLabel.UNKNOWN);
    assertThat(label.of("")).isEqualTo(BoundedLabel.UNKNOWN);
    assertThat(label.of("a")).isEqualTo("a");
  }

  @Test
  void aCapBelowOneIsRefused() {
    assertThatThrownBy(() -> new BoundedLabel(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
