package io.driftwatch.scoring.reference;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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
 *   <li>abandoned: the share of committed entities that the window no longer mentions, once the
 *       generation has k sentences (before that, nothing had the chance to recur);</li>
 *   <li>new entities: the share of the window's entity mentions that are not commitments.</li>
 * </ul>
 * Referential drift is the weighted mean 0.2·(1 − continuation) + 0.4·abandoned + 0.4·new entities,
 * over the parts that are defined (weights renormalised), so it lies in [0, 1]: near 0 while the text
 * keeps talking about whom it started with, near 1 when it has swapped them for others. Continuation
 * weighs least because pronouns keep it high whoever they refer to; docs/scores.md has the measurements.
 *
 * <p><b>Entity shift</b> ({@link #shift}): where the cast changed. For each split of the last
 * {@value #SHIFT_SENTENCES} sentences (the prompt's entities count before every split), how completely
 * recurring names first met after the split took the place of the names met before it
 * ({@link #replacement}): near 1 only when the names of the text were replaced at once, as in a name
 * swap or a splice into another story; a new character joining the old ones leaves it low, and so does
 * a name said once. A capitalised word that opens a sentence counts as a mention once the text has
 * used it as a name elsewhere ("Natalia added it." before "said Natalia"), so a name that mostly
 * opens sentences is not missed.
 */
public final class EntityTracker {

  /** Most entities remembered per generation; later ones still count as new, so the score stays right. */
  public static final int MAX_ENTITIES = 512;
  /** Most committed entities. */
  public static final int MAX_COMMITTED = 64;

  /** Entity key → index of the sentence that first mentioned it (-1 for the prompt). */
  private LinkedHashMap<String, Integer> table = new LinkedHashMap<>();
  /** Leading words of full names → the full name's key ("nick" → "carraway"). */
  private LinkedHashMap<String, String> aliases = new LinkedHashMap<>();
  private LinkedHashSet<String> committed = new LinkedHashSet<>();
  private ArrayDeque<WindowEntry> window = new ArrayDeque<>();

  /** What one sentence contributed to the window. */
  static final class WindowEntry {
    final List<String> entities;
    final int index;
    final int pronouns;
    final long firstSeq;
    /** Sentence-opening capitalised words not yet known as names; the entity shift resolves them when it reads the window. */
    final List<String> openers;

    WindowEntry(List<String> entities, int index, int pronouns, long firstSeq, List<String> openers) {
      this.entities = entities;
      this.index = index;
      this.pronouns = pronouns;
      this.firstSeq = firstSeq;
      this.openers = openers;
    }

    void writeTo(StateOutput out) {
      out.strings(entities);
      out.signed(index);
      out.signed(pronouns);
      out.signed(firstSeq);
      out.strings(openers);
    }

    static WindowEntry readFrom(StateInput in) {
      return new WindowEntry(in.stringList(), in.signedInt(), in.signedInt(), in.signed(), in.stringList());
    }
  }

  /** Writes the entity table, the commitments, the window and the aliases, in the order {@link #readFrom} reads them. */
  public void writeTo(StateOutput out) {
    out.varint(table.size());
    for (Map.Entry<String, Integer> entry : table.entrySet()) {
      out.string(entry.getKey());
      out.signed(entry.getValue());
    }
    out.strings(committed);
    out.varint(window.size());
    for (WindowEntry entry : window) {
      entry.writeTo(out);
    }
    out.varint(aliases.size());
    for (Map.Entry<String, String> alias : aliases.entrySet()) {
      out.string(alias.getKey());
      out.string(alias.getValue());
    }
  }

  /** A tracker in the state that {@link #writeTo} wrote. */
  public static EntityTracker readFrom(StateInput in) {
    EntityTracker t = new EntityTracker();
    int entities = in.count();
    for (int i = 0; i < entities; i++) {
      t.table.put(in.string(), in.signedInt());
    }
    in.strings(t.committed);
    int entries = in.count();
    for (int i = 0; i < entries; i++) {
      t.window.add(WindowEntry.readFrom(in));
    }
    int aliases = in.count();
    for (int i = 0; i < aliases; i++) {
      t.aliases.put(in.string(), in.string());
    }
    return t;
  }

  /** The entity shift: its statistic and the first token of the first sentence after its split (-1: undefined). */
  public record Shift(double value, long at) {
    public static final Shift NONE = new Shift(Double.NaN, -1);
  }

  /** Sentences the entity shift looks back over: names recur sparsely, so it needs a longer view than the topic shift. */
  public static final int SHIFT_SENTENCES = 24;
  /** Fewest entity mentions on each side of a split for the entity shift to be defined (the prompt's count before). */
  public static final int MIN_SHIFT_MENTIONS = 3;
  /** Fewest sentences after a split of the entity shift. */
  public static final int MIN_SENTENCES_AFTER_SHIFT = 2;

  /** The parts of referential drift over the current window; NaN where a part is undefined. */
  public record Reading(double continuation, double abandoned, double newEntities, double drift) {}

  public void observePrompt(String prompt) {
    Mentions.Found found = Mentions.in(prompt, table.keySet(), aliases);
    found.aliases().forEach(this::alias);
    for (String entity : found.entities()) {
      remember(entity, -1);
      commit(entity);
    }
  }

  /**
   * Adds a sentence to the window.
   *
   * @param opening whether the sentence belongs to the opening, whose entities become commitments
   * @param windowSentences the window size k
   * @param firstSeq the sentence's first token
   * @param shiftSentences W: the sentences kept for the entity shift (at least k are kept)
   * @return whether the sentence continues the reference chain: it mentions an entity seen before, or
   *     uses a pronoun once entities are established (local coherence gives such sentences credit)
   */
  public boolean observe(String sentence, int index, boolean opening, int windowSentences, long firstSeq, int shiftSentences) {
    Mentions.Found found = Mentions.in(sentence, table.keySet(), aliases);
    found.aliases().forEach(this::alias);
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
    window.addLast(new WindowEntry(found.entities(), index, found.pronouns(), firstSeq, found.openers()));
    while (window.size() > Math.max(windowSentences, shiftSentences)) {
      window.removeFirst();
    }
    return continuesChain;
  }

  /** The referential-drift parts over the last {@code windowSentences} sentences. */
  public Reading reading(int windowSentences) {
    int pronouns = 0;
    int entityMentions = 0;
    int committedMentions = 0;
    Set<String> mentioned = new HashSet<>();
    int skip = Math.max(0, window.size() - windowSentences);
    int sentences = 0;
    for (WindowEntry e : window) {
      if (skip-- > 0) {
        continue;
      }
      sentences++;
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
    if (!committed.isEmpty() && sentences >= windowSentences) {
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

  /**
   * The entity shift over the last {@code shiftSentences} sentences: the best split's statistic, with
   * at least {@value #MIN_SHIFT_MENTIONS} entity mentions on each side and
   * {@value #MIN_SENTENCES_AFTER_SHIFT} sentences after it.
   */
  public Shift shift(int shiftSentences) {
    List<WindowEntry> entries = new ArrayList<>(window);
    entries = entries.subList(Math.max(0, entries.size() - shiftSentences), entries.size());
    List<List<String>> mentions = new ArrayList<>();
    // Where each name of the window was first met: the replacement asks it only of names mentioned after
    // a split, all of them in the window, so the table is read for those names alone instead of copied
    // whole at every sentence.
    Map<String, Integer> firstSeen = new HashMap<>();
    for (WindowEntry entry : entries) {
      List<String> sentence = new ArrayList<>(entry.entities);
      for (String opener : entry.openers) {
        String key = table.containsKey(opener) ? opener : aliases.get(opener);
        if (key != null) {
          sentence.add(key);
        }
      }
      for (String e : sentence) {
        Integer seen = firstSeen.get(e);
        if (seen == null) {
          Integer remembered = table.get(e);
          firstSeen.put(e, remembered == null ? entry.index : Math.min(remembered, entry.index));
        } else if (entry.index < seen) {
          firstSeen.put(e, entry.index);
        }
      }
      mentions.add(sentence);
    }
    // The split moves forward one sentence at a time, moving that sentence's mentions from after to
    // before, so each split costs the distinct entities of the window rather than all its mentions.
    Map<String, Integer> before = new HashMap<>();
    Map<String, Integer> after = new HashMap<>();
    table.forEach((entity, first) -> {
      if (first < 0) {
        before.merge(entity, 1, Integer::sum);
      }
    });
    int beforeMentions = before.size();
    int afterMentions = 0;
    for (List<String> sentence : mentions) {
      for (String e : sentence) {
        after.merge(e, 1, Integer::sum);
        afterMentions++;
      }
    }
    Shift best = Shift.NONE;
    for (int split = 1; split <= entries.size() - MIN_SENTENCES_AFTER_SHIFT; split++) {
      for (String e : mentions.get(split - 1)) {
        after.computeIfPresent(e, (k, n) -> n == 1 ? null : n - 1);
        before.merge(e, 1, Integer::sum);
        afterMentions--;
        beforeMentions++;
      }
      if (beforeMentions < MIN_SHIFT_MENTIONS || afterMentions < MIN_SHIFT_MENTIONS) {
        continue;
      }
      double value = replacement(before, after, firstSeen, entries.get(split).index);
      if (best.at() < 0 || value > best.value()) {
        best = new Shift(value, entries.get(split).firstSeq);
      }
    }
    return best;
  }

  /**
   * How completely the names after a split replace those before it: (fresh / (fresh + kept + 1)) ·
   * (gone / (cast + 1)). Fresh counts the mentions after the split of names first met after it that
   * recur there (a name said once is a passing reference); kept, the mentions after it of names met
   * before it; cast, the names mentioned at least twice before it; gone, those of the cast not
   * mentioned after it. The +1s make a split with little evidence score low: two names exchanged
   * once each are chance, a cast that vanishes while new names recur is a swap. A new character joining
   * the old ones leaves it low, and so does a stretch that names nobody.
   */
  static double replacement(Map<String, Integer> before, Map<String, Integer> after, Map<String, Integer> firstSeen, int splitIndex) {
    int fresh = 0;
    int kept = 0;
    for (Map.Entry<String, Integer> e : after.entrySet()) {
      Integer first = firstSeen.get(e.getKey());
      if (first != null && first < splitIndex) {
        kept += e.getValue();
      } else if (e.getValue() >= 2) {
        fresh += e.getValue();
      }
    }
    int cast = 0;
    int gone = 0;
    for (Map.Entry<String, Integer> e : before.entrySet()) {
      if (e.getValue() >= 2) {
        cast++;
        if (!after.containsKey(e.getKey())) {
          gone++;
        }
      }
    }
    return (double) fresh / (fresh + kept + 1) * gone / (cast + 1);
  }

  public int entities() {
    return table.size();
  }

  private void alias(String part, String key) {
    if (aliases.size() < MAX_ENTITIES) {
      aliases.putIfAbsent(part, key);
    }
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
