package io.driftwatch.scoring.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The entity shift against a brute-force oracle on many random texts: names said mid-sentence, names
 * opening a sentence (which count only once the text has used them mid-sentence), texts longer than
 * the window. The oracle recounts every split from scratch, from what the generator knows it wrote.
 */
class EntityShiftOracleTest {

  private static final List<String> NAMES = List.of("Anna", "Boris", "Clara", "Dmitri", "Elena", "Fyodor", "Galina", "Ivan");
  private static final int WINDOW = 16;

  /** A generated sentence: the name opening it (or null) and the names said after its first word. */
  private record Written(String opener, List<String> mid) {
    String text() {
      String head = opener == null ? "Then" : opener;
      return mid.isEmpty() ? head + " slept." : head + " saw " + String.join(" and ", mid) + ".";
    }
  }

  @Test
  void theEntityShiftMatchesRecountingEverySplit() {
    Random random = new Random(16);
    int defined = 0;
    for (int trial = 0; trial < 400; trial++) {
      List<String> prompt = new ArrayList<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        prompt.add(NAMES.get(random.nextInt(NAMES.size())));
      }
      EntityTracker tracker = new EntityTracker();
      tracker.observePrompt(prompt.isEmpty() ? "Write a story." : "Tell me about " + String.join(" and ", prompt) + ".");
      List<Written> written = new ArrayList<>();
      int sentences = 1 + random.nextInt(30);
      for (int i = 0; i < sentences; i++) {
        // Two casts, so that some texts change cast midway and score high.
        List<String> cast = i < sentences / 2 || random.nextBoolean() ? NAMES.subList(0, 4) : NAMES.subList(4, 8);
        String opener = random.nextInt(3) == 0 ? cast.get(random.nextInt(cast.size())) : null;
        List<String> mid = new ArrayList<>();
        for (int k = random.nextInt(3); k > 0; k--) {
          mid.add(cast.get(random.nextInt(cast.size())));
        }
        Written w = new Written(opener, mid);
        written.add(w);
        tracker.observe(w.text(), i, i < 2, 3, i * 10L, WINDOW);
        EntityTracker.Shift expected = oracle(prompt, written);
        EntityTracker.Shift actual = tracker.shift(WINDOW);
        assertThat(actual.at()).as("trial %d sentence %d", trial, i).isEqualTo(expected.at());
        if (expected.at() >= 0) {
          defined++;
          assertThat(actual.value()).as("trial %d sentence %d", trial, i).isCloseTo(expected.value(), within(1e-12));
          assertThat(actual.value()).isBetween(0.0, 1.0);
        }
      }
    }
    assertThat(defined).isGreaterThan(1000);
  }

  private static EntityTracker.Shift oracle(List<String> prompt, List<Written> written) {
    Set<String> promptKeys = new HashSet<>();
    prompt.forEach(p -> promptKeys.add(key(p)));
    // Names the text has used mid-sentence (or the prompt named), with the sentence that first did.
    Map<String, Integer> first = new HashMap<>();
    promptKeys.forEach(k -> first.put(k, -1));
    for (int i = 0; i < written.size(); i++) {
      for (String m : written.get(i).mid()) {
        first.putIfAbsent(key(m), i);
      }
    }
    int from = Math.max(0, written.size() - WINDOW);
    List<List<String>> mentions = new ArrayList<>();
    for (int i = from; i < written.size(); i++) {
      List<String> sentence = new ArrayList<>();
      Written w = written.get(i);
      if (w.opener() != null && first.containsKey(key(w.opener()))) {
        sentence.add(key(w.opener()));
      }
      w.mid().forEach(m -> sentence.add(key(m)));
      mentions.add(sentence);
    }
    Map<String, Integer> firstSeen = new HashMap<>(first);
    for (int i = 0; i < mentions.size(); i++) {
      for (String e : mentions.get(i)) {
        firstSeen.merge(e, from + i, Math::min);
      }
    }
    EntityTracker.Shift best = EntityTracker.Shift.NONE;
    for (int split = 1; split <= mentions.size() - EntityTracker.MIN_SENTENCES_AFTER_SHIFT; split++) {
      Map<String, Integer> before = new HashMap<>();
      promptKeys.forEach(k -> before.put(k, 1));
      Map<String, Integer> after = new HashMap<>();
      for (int i = 0; i < mentions.size(); i++) {
        for (String e : mentions.get(i)) {
          (i < split ? before : after).merge(e, 1, Integer::sum);
        }
      }
      int beforeMentions = before.values().stream().mapToInt(Integer::intValue).sum();
      int afterMentions = after.values().stream().mapToInt(Integer::intValue).sum();
      if (beforeMentions < EntityTracker.MIN_SHIFT_MENTIONS || afterMentions < EntityTracker.MIN_SHIFT_MENTIONS) {
        continue;
      }
      int splitIndex = from + split;
      int fresh = 0;
      int kept = 0;
      for (String e : after.keySet()) {
        if (firstSeen.get(e) < splitIndex) {
          kept += after.get(e);
        } else if (after.get(e) > 1) {
          fresh += after.get(e);
        }
      }
      long cast = before.values().stream().filter(n -> n > 1).count();
      long gone = before.entrySet().stream().filter(e -> e.getValue() > 1 && !after.containsKey(e.getKey())).count();
      double value = fresh / (fresh + kept + 1.0) * gone / (cast + 1.0);
      if (best.at() < 0 || value > best.value()) {
        best = new EntityTracker.Shift(value, splitIndex * 10L);
      }
    }
    return best;
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
