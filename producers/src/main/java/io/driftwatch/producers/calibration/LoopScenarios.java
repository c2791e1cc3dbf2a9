package io.driftwatch.producers.calibration;

import io.driftwatch.producers.text.SimpleTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Degenerate greedy or beam-search loops made from the bundled books: a passage of the book's own text
 * (50-300 words), then a span said again and again, from character {@link LabelledText#changeAt()} on.
 *
 * <p>Kinds ({@link #kind}): {@code exact} (the span verbatim each time), {@code counter} (a number in
 * the span goes up by one each time: "11. Remove the cap ...", "Lesson 19/20: ..."), {@code edits} (each
 * repeat may have a word swapped or its punctuation changed). Periods ({@link #period}): {@code short}, a
 * phrase of 3-8 words, or {@code long}, a sentence of 40-80 tokens. Endings ({@link #ending}): {@code
 * cut}, the text ends after 2.0-3.0 repeats, or {@code long}, 4-12 repeats. The span is the passage's
 * last sentence or clause (the model goes on saying what it just said) or the book's next one. Every
 * text has scenario {@code loop}, genre the book's name, and is held out by a stable hash of its id.
 */
public final class LoopScenarios {

  public static final String SCENARIO = "loop";
  public static final List<String> KINDS = List.of("exact", "counter", "edits");
  public static final List<String> PERIODS = List.of("short", "long");
  public static final List<String> ENDINGS = List.of("cut", "long");
  public static final long STANDARD_SEED = 16;
  public static final int STANDARD_COUNT = 480;

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"’”]?)\\s+(?=[\"“‘]?[A-Z])");
  private static final String[] COUNTERS = {"%d. %s", "Lesson %d/%d: %s", "Step %d: %s", "%s (%d)", "Chapter %d. %s", "Day %d - %s"};

  private LoopScenarios() {}

  /** The standard set: {@value #STANDARD_COUNT} texts from seed {@value #STANDARD_SEED}. */
  public static List<LabelledText> standard() {
    return generate(STANDARD_SEED, STANDARD_COUNT);
  }

  /** {@code count} loop texts, the same for the same seed; kinds, periods and endings take turns. */
  public static List<LabelledText> generate(long seed, int count) {
    List<LabelledText> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String kind = KINDS.get(i % KINDS.size());
      String period = PERIODS.get(i / KINDS.size() % PERIODS.size());
      String ending = ENDINGS.get(i / (KINDS.size() * PERIODS.size()) % ENDINGS.size());
      String id = "loop-" + kind + "-" + period + "-" + ending + "-" + seed + "-" + i;
      Random random = new Random(seed * 1_000_003L + i);
      String book = Books.NAMES.get(random.nextInt(Books.NAMES.size()));
      out.add(make(id, book, kind, period.equals("long"), ending.equals("long"), random));
    }
    return out;
  }

  /** The kind of loop of a text of this set: exact, counter or edits. */
  public static String kind(LabelledText t) {
    return part(t, 1);
  }

  /** The period class of a text of this set: short or long. */
  public static String period(LabelledText t) {
    return part(t, 2);
  }

  /** How a text of this set ends: cut (2.0-3.0 repeats) or long. */
  public static String ending(LabelledText t) {
    return part(t, 3);
  }

  private static String part(LabelledText t, int at) {
    if (!t.scenario().equals(SCENARIO)) {
      throw new IllegalArgumentException(t.id() + " is not a loop scenario");
    }
    return t.id().split("-")[at];
  }

  private static LabelledText make(String id, String book, String kind, boolean longPeriod, boolean longEnding, Random r) {
    List<String> paragraphs = Books.paragraphs(book);
    for (int attempt = 0; ; attempt++) {
      int start = r.nextInt(paragraphs.size() - 3);
      List<String> sentences = new ArrayList<>();
      for (int p = start; p < Math.min(paragraphs.size(), start + 6); p++) {
        for (String s : SENTENCE_END.split(paragraphs.get(p))) {
          sentences.add(s.strip());
        }
      }
      int targetWords = 50 + r.nextInt(251);
      StringBuilder passage = new StringBuilder();
      int next = 0;
      while (next < sentences.size() && Books.words(passage + " " + sentences.get(next)) <= targetWords) {
        passage.append(passage.isEmpty() ? "" : " ").append(sentences.get(next++));
      }
      if (Books.words(passage.toString()) < 50 || next >= sentences.size() - 1) {
        if (attempt > 200) {
          throw new IllegalStateException("no passage for " + id + " in " + book);
        }
        continue;
      }
      String lastSentence = sentences.get(next - 1);
      String nextSentence = sentences.get(next);
      String source = r.nextBoolean() ? lastSentence : nextSentence;
      String unit = longPeriod ? longSpan(source, sentences, next, r) : shortSpan(source, r);
      if (unit == null) {
        continue;
      }
      String before = start > 0 ? paragraphs.get(start - 1) : "";
      String prompt = "Continue the text:\n\n" + lastWords(before, 12 + r.nextInt(20));
      String prefix = passage.toString();
      double repeats = longEnding ? 4 + r.nextInt(81) / 10.0 : 2.0 + r.nextInt(11) / 10.0;
      String loop = loop(unit, kind, repeats, r);
      String text = prefix + (kind.equals("counter") ? "\n" : " ");
      return new LabelledText(id, book, SCENARIO, prompt, text + loop, text.length(), Books.holdout(id));
    }
  }

  /** The last {@code n} words of a text: the prompt ends where the generation's passage begins. */
  private static String lastWords(String text, int n) {
    String[] words = text.split(" ");
    return String.join(" ", java.util.Arrays.copyOfRange(words, Math.max(0, words.length - n), words.length)).strip();
  }

  private static int tokens(String s) {
    return SimpleTokenizer.tokenize(" " + s).size();
  }

  /** A sentence of 40-80 tokens: the source itself, or the source joined with the sentences after it, cut at a word. */
  private static String longSpan(String source, List<String> sentences, int next, Random r) {
    StringBuilder b = new StringBuilder(source);
    for (int k = next + 1; tokens(b.toString()) < 40 && k < sentences.size(); k++) {
      b.append(' ').append(sentences.get(k));
    }
    String s = b.toString();
    if (tokens(s) < 40) {
      return null;
    }
    int limit = 40 + r.nextInt(41);
    String[] words = s.split(" ");
    StringBuilder cut = new StringBuilder();
    for (String w : words) {
      if (tokens(cut + " " + w) > limit) {
        break;
      }
      cut.append(cut.isEmpty() ? "" : " ").append(w);
    }
    String out = cut.toString();
    return out.matches(".*[.!?][\"’”]?$") ? out : out.replaceAll("[,;:]$", "") + ".";
  }

  /** A phrase of 3-8 words: a clause of the source when one is that long, else a run of its words. */
  private static String shortSpan(String source, Random r) {
    for (String clause : source.split("(?<=[,;:])\\s+")) {
      int n = Books.words(clause);
      if (n >= 3 && n <= 8 && r.nextInt(3) > 0) {
        return clause.replaceAll("[,;:]$", "") + (r.nextBoolean() ? "." : ",");
      }
    }
    String[] words = source.replaceAll("[\"“”‘’]", "").split(" ");
    int n = 3 + r.nextInt(6);
    if (words.length < n) {
      return null;
    }
    int from = r.nextInt(words.length - n + 1);
    String phrase = String.join(" ", java.util.Arrays.copyOfRange(words, from, from + n)).replaceAll("[,;:.!?]+$", "");
    return phrase + (r.nextBoolean() ? "." : ",");
  }

  /** The unit said {@code repeats} times (the last time cut at a word), counted or edited as the kind says. */
  private static String loop(String unit, String kind, double repeats, Random r) {
    String format = COUNTERS[r.nextInt(COUNTERS.length)];
    int counter = 1 + r.nextInt(20);
    int total = counter + (int) Math.ceil(repeats) + r.nextInt(10);
    List<String> vocabulary = List.of(unit.replaceAll("[^\\p{L}\\p{N}' ]", "").toLowerCase(Locale.ROOT).split(" "));
    StringBuilder out = new StringBuilder();
    int whole = (int) Math.floor(repeats);
    for (int k = 0; k < whole; k++) {
      out.append(k == 0 ? "" : kind.equals("counter") ? "\n" : " ").append(one(unit, kind, format, counter + k, total, vocabulary, k, r));
    }
    double fraction = repeats - whole;
    if (fraction > 0) {
      String[] words = one(unit, kind, format, counter + whole, total, vocabulary, whole, r).split(" ");
      int keep = (int) Math.round(words.length * fraction);
      if (keep > 0) {
        out.append(kind.equals("counter") ? "\n" : " ").append(String.join(" ", java.util.Arrays.copyOf(words, keep)));
      }
    }
    return out.toString();
  }

  private static String one(String unit, String kind, String format, int n, int total, List<String> vocabulary, int k, Random r) {
    return switch (kind) {
      case "exact" -> unit;
      case "counter" -> switch (format) {
        case "Lesson %d/%d: %s" -> String.format(Locale.ROOT, format, n, total, unit);
        case "%s (%d)" -> String.format(Locale.ROOT, format, unit, n);
        default -> String.format(Locale.ROOT, format, n, unit);
      };
      case "edits" -> k == 0 || r.nextInt(5) == 0 ? unit : edit(unit, vocabulary, r);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static final String[] SWAPS = {"the", "a", "this", "that", "very", "so", "and", "but", "then", "now", "all", "still"};

  /** One small edit: a word replaced (by another of the span's words or a common one), or punctuation changed. */
  private static String edit(String unit, List<String> vocabulary, Random r) {
    String[] words = unit.split(" ");
    if (r.nextInt(5) < 3 && words.length > 1) {
      int at = r.nextInt(words.length);
      String replacement = r.nextBoolean() ? vocabulary.get(r.nextInt(vocabulary.size())) : SWAPS[r.nextInt(SWAPS.length)];
      String tail = words[at].replaceAll("^.*?([^\\p{L}\\p{N}']*)$", "$1");
      if (!replacement.isEmpty()) {
        words[at] = replacement + tail;
      }
      return String.join(" ", words);
    }
    return switch (r.nextInt(4)) {
      case 0 -> unit.replaceFirst(",", ";");
      case 1 -> unit.replaceFirst(",", "");
      case 2 -> unit.replaceAll("[.,]$", "!");
      default -> unit.replaceAll("[.,]$", "...");
    };
  }
}
