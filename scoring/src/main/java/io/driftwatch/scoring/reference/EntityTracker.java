package io.driftwatch.scoring.reference;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generation's entity table and the referential-drift score.
 *
 * <p>Entities come from the prompt and the text (see {@link Mentions}). The entities of the prompt and
 * of the opening sentences (the first m) are the generation's <em>commitments</em>: who and what it
 * set out to talk about. Over a window of the last k sentences it measures:
 * <ul>
 *   <li>continuation: the share of mentions (entities and pronouns) that continue a committed entity;
 *       pronouns count as continuations once the generation has committed to an entity;</li>
 *   <li>abandoned: the share of committed entities that the window no longer mentions;</li>
 *   <li>new entities: the share of the window's entity mentions that are not commitments.</li>
 * </ul>
 * Referential drift is the weighted mean 0.2·(1 − continuation) + 0.4·abandoned + 0.4·new entities,
 * over the parts that are defined (weights renormalised), so it lies in [0, 1]: near 0 while the text
 * keeps talking about whom it started with, near 1 when it has swapped them for others. Continuation
 * weighs least because pronouns keep it high whoever they refer to; docs/scores.md has the measurements.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class EntityTracker {

  /** Most entities remembered per generation; later ones still count as new, so the score stays right. */
  public static final int MAX_ENTITIES = 512;
  /** Most committed entities. */
  public static final int MAX_COMMITTED = 64;

  /** Entity key → index of the sentence that first mentioned it (-1 for the prompt). */
  private LinkedHashMap<String, Integer> table = new LinkedHashMap<>();
  private LinkedHashSet<String> committed = new LinkedHashSet<>();
  private ArrayDeque<WindowEntry> window = new ArrayDeque<>();

  /** What one sentence contributed to the window. */
  @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  static final class WindowEntry {
    List<String> entities;
    int index;
    int pronouns;

    WindowEntry() {}

    WindowEntry(List<String> entities, int index, int pronouns) {
      this.entities = entities;
      this.index = index;
      this.pronouns = pronouns;
    }
  }

  /** The parts of referential drift over the current window; NaN where a part is undefined. */
  public record Reading(double continuation, double abandoned, double newEntities, double drift) {}

  public void observePrompt(String prompt) {
    for (String entity : Mentions.in(prompt, table.keySet()).entities()) {
      remember(entity, -1);
      commit(entity);
    }
  }

  /**
   * Adds a sentence to the window.
   *
   * @param opening whether the sentence belongs to the opening, whose entities become commitments
   * @param windowSentences the window size k
   * @return whether the sentence continues the reference chain: it mentions an entity seen before, or
   *     uses a pronoun once entities are established (local coherence gives such sentences credit)
   */
  public boolean observe(String sentence, int index, boolean opening, int windowSentences) {
    Mentions.Found found = Mentions.in(sentence, table.keySet());
    boolean continuesChain = !table.isEmpty() && found.pronouns() > 0;
    for (String entity : found.entities()) {
      Integer first = table.get(entity);
      if (first != null && first < index) {
        continuesChain = true;
      } else if (first == null) {
        remember(entity, index);
      }
      if (opening) {
        commit(entity);
      }
    }
    window.addLast(new WindowEntry(List.copyOf(found.entities()), index, found.pronouns()));
    while (window.size() > windowSentences) {
      window.removeFirst();
    }
    return continuesChain;
  }

  public Reading reading() {
    int pronouns = 0;
    int entityMentions = 0;
    int committedMentions = 0;
    Set<String> mentioned = new HashSet<>();
    for (WindowEntry e : window) {
      pronouns += e.pronouns;
      for (String entity : e.entities) {
        entityMentions++;
        mentioned.add(entity);
        if (committed.contains(entity)) {
          committedMentions++;
        }
      }
    }
    double continuation = Double.NaN;
    if (!committed.isEmpty() && pronouns + entityMentions > 0) {
      continuation = (double) (pronouns + committedMentions) / (pronouns + entityMentions);
    }
    double abandoned = Double.NaN;
    if (!committed.isEmpty() && !window.isEmpty()) {
      long kept = committed.stream().filter(mentioned::contains).count();
      abandoned = 1.0 - (double) kept / committed.size();
    }
    double newEntities = entityMentions == 0 ? Double.NaN : (double) (entityMentions - committedMentions) / entityMentions;
    double[] parts = {Double.isNaN(continuation) ? Double.NaN : 1 - continuation, abandoned, newEntities};
    double[] weights = {0.2, 0.4, 0.4};
    double sum = 0;
    double weight = 0;
    for (int i = 0; i < parts.length; i++) {
      if (!Double.isNaN(parts[i])) {
        sum += weights[i] * parts[i];
        weight += weights[i];
      }
    }
    return new Reading(continuation, abandoned, newEntities, weight == 0 ? Double.NaN : sum / weight);
  }

  public int entities() {
    return table.size();
  }

  public Map<String, Integer> table() {
    return Map.copyOf(table);
  }

  private void remember(String entity, int index) {
    if (table.size() < MAX_ENTITIES) {
      table.putIfAbsent(entity, index);
    }
  }

  private void commit(String entity) {
    if (committed.size() < MAX_COMMITTED) {
      committed.add(entity);
    }
  }
}
