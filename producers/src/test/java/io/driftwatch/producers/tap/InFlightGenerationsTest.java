package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightGenerationsTest {

  private final InFlightGenerations inFlight = new InFlightGenerations();
  private final GuardSettings settings = new GuardSettings(Set.of("loop"), "content_filter", false, null, inFlight);

  @Test
  void aGenerationIsFoundFromItsStartToItsEnd() {
    ResponseGuard response = new ResponseGuard(settings);
    inFlight.add("g:0", response);
    assertThat(inFlight.get("g:0")).isSameAs(response);
    inFlight.remove("g:0", response);
    assertThat(inFlight.get("g:0")).isNull();
    assertThat(inFlight.size()).isZero();
  }

  @Test
  void theEndOfAResponseDoesNotUnregisterAnotherThatTookItsId() {
    ResponseGuard first = new ResponseGuard(settings);
    ResponseGuard second = new ResponseGuard(settings);
    inFlight.add("g:0", first);
    inFlight.add("g:0", second);
    inFlight.remove("g:0", first);
    assertThat(inFlight.get("g:0")).isSameAs(second);
  }
}
