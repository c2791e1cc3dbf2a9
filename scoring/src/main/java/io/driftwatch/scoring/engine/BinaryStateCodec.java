package io.driftwatch.scoring.engine;

import io.driftwatch.attribution.MatchState;
import io.driftwatch.attribution.MatchStateCodec;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.alert.AlertTracker;
import io.driftwatch.scoring.attribution.AttributionTrack;
import io.driftwatch.scoring.coherence.GlobalCommitment;
import io.driftwatch.scoring.coherence.LexicalCoherence;
import io.driftwatch.scoring.degeneration.Degeneration;
import io.driftwatch.scoring.fluency.SurprisalWindow;
import io.driftwatch.scoring.reference.EntityTracker;
import io.driftwatch.scoring.semantic.QuantizedVector;
import io.driftwatch.scoring.semantic.SemanticCoherence;
import io.driftwatch.scoring.text.SentenceSegmenter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The binary form of {@link GenerationState}: a version byte ({@link #VERSION}), then every field of
 * the state and its scorers in a fixed order, with {@link StateWriter}'s primitives. About a third of the
 * JSON's size and an order of magnitude cheaper to write and read (docs/benchmarks.md), which matters
 * because the state store encodes every changed generation's state at every commit.
 *
 * <p>The order below is the format: changing it, or a field's type, needs a new version byte (and the
 * old version kept readable, as {@link StateCodec} keeps the JSON of earlier releases readable).
 *
 * <p>Why one long class: the format is one sequence, so its writer and its reader are kept in one
 * place, scorer by scorer, where a field written but not read (or read out of order) shows; most of the
 * length is the handles on the scorers' private fields and one short writer and reader per scorer.
 */
final class BinaryStateCodec {

  /** First byte of a binary state. JSON states start with '{', so the two never mix up. */
  static final int VERSION = 2;

  private static final VarHandle SEG_TEXT = StateFields.field(SentenceSegmenter.class, "text", String.class);
  private static final VarHandle SEG_FIRST_SEQ = StateFields.field(SentenceSegmenter.class, "firstSeq", long.class);
  private static final VarHandle SEG_LAST_SEQ = StateFields.field(SentenceSegmenter.class, "lastSeq", long.class);
  private static final VarHandle SEG_TOKENS = StateFields.field(SentenceSegmenter.class, "tokens", int.class);
  private static final VarHandle SEG_NEXT_INDEX = StateFields.field(SentenceSegmenter.class, "nextIndex", int.class);
  private static final VarHandle SEG_LAST_EVENT_TIME = StateFields.field(SentenceSegmenter.class, "lastEventTime", java.time.Instant.class);

  private static final VarHandle COH_PREVIOUS = StateFields.field(LexicalCoherence.class, "previous", ArrayDeque.class);
  private static final VarHandle COH_VALUES = StateFields.field(LexicalCoherence.class, "values", ArrayDeque.class);
  private static final VarHandle COH_LAST = StateFields.field(LexicalCoherence.class, "last", double.class);

  private static final VarHandle COM_COMMITMENTS = StateFields.field(GlobalCommitment.class, "commitments", LinkedHashSet.class);
  private static final VarHandle COM_WINDOW = StateFields.field(GlobalCommitment.class, "window", ArrayDeque.class);

  private static final VarHandle ENT_TABLE = StateFields.field(EntityTracker.class, "table", LinkedHashMap.class);
  private static final VarHandle ENT_COMMITTED = StateFields.field(EntityTracker.class, "committed", LinkedHashSet.class);
  private static final VarHandle ENT_WINDOW = StateFields.field(EntityTracker.class, "window", ArrayDeque.class);
  private static final Class<?> WINDOW_ENTRY = StateFields.nested("io.driftwatch.scoring.reference.EntityTracker$WindowEntry");
  private static final VarHandle ENTRY_ENTITIES = StateFields.field(WINDOW_ENTRY, "entities", List.class);
  private static final VarHandle ENTRY_INDEX = StateFields.field(WINDOW_ENTRY, "index", int.class);
  private static final VarHandle ENTRY_PRONOUNS = StateFields.field(WINDOW_ENTRY, "pronouns", int.class);
  private static final VarHandle ENTRY_FIRST_SEQ = StateFields.field(WINDOW_ENTRY, "firstSeq", long.class);
  private static final VarHandle ENT_ALIASES = StateFields.field(EntityTracker.class, "aliases", LinkedHashMap.class);
  private static final MethodHandle NEW_ENTRY = StateFields.constructor(WINDOW_ENTRY, List.class, int.class, int.class, long.class);

  private static final VarHandle SUR_SURPRISALS = StateFields.field(SurprisalWindow.class, "surprisals", ArrayDeque.class);

  private static final VarHandle DEG_RECENT = StateFields.field(Degeneration.class, "recent", ArrayDeque.class);
  private static final VarHandle DEG_RUNS = StateFields.field(Degeneration.class, "runs", int[].class);

  private static final VarHandle ALERT_STATES = StateFields.field(AlertTracker.class, "states", LinkedHashMap.class);
  private static final Class<?> RULE_STATE = StateFields.nested("io.driftwatch.scoring.alert.AlertTracker$RuleState");
  private static final VarHandle RULE_FIRING = StateFields.field(RULE_STATE, "firing", boolean.class);
  private static final VarHandle RULE_ABOVE = StateFields.field(RULE_STATE, "aboveStreak", int.class);
  private static final VarHandle RULE_BELOW = StateFields.field(RULE_STATE, "belowStreak", int.class);
  private static final VarHandle RULE_STREAK_FIRST_SEQ = StateFields.field(RULE_STATE, "streakFirstSeq", long.class);
  private static final MethodHandle NEW_RULE_STATE = StateFields.constructor(RULE_STATE);

  private static final VarHandle SEM_PROMPT = StateFields.field(SemanticCoherence.class, "prompt", QuantizedVector.class);
  private static final VarHandle SEM_ANCHOR_PARTS = StateFields.field(SemanticCoherence.class, "anchorParts", ArrayList.class);
  private static final VarHandle SEM_ANCHOR = StateFields.field(SemanticCoherence.class, "anchor", QuantizedVector.class);
  private static final VarHandle SEM_RECENT = StateFields.field(SemanticCoherence.class, "recent", ArrayDeque.class);
  private static final VarHandle SEM_LOCAL = StateFields.field(SemanticCoherence.class, "local", ArrayDeque.class);
  private static final VarHandle SEM_GLOBAL = StateFields.field(SemanticCoherence.class, "global", ArrayDeque.class);
  private static final VarHandle SEM_RADII = StateFields.field(SemanticCoherence.class, "radii", ArrayDeque.class);

  private static final VarHandle ATT_MATCH = StateFields.field(AttributionTrack.class, "match", MatchState.class);
  private static final VarHandle ATT_PENDING_WORD = StateFields.field(AttributionTrack.class, "pendingWord", String.class);
  private static final VarHandle ATT_WORD_SEQS = StateFields.field(AttributionTrack.class, "wordSeqs", ArrayDeque.class);
  private static final VarHandle ATT_WORDS = StateFields.field(AttributionTrack.class, "words", int.class);

  static {
    // Written by direct access; listed so that the field-coverage test sees them too.
    StateFields.register(GenerationState.class, "generationId", "runId", "model", "started", "flags", "lastSeq", "tokens",
        "firstEventTime", "lastEventTime", "segmenter", "coherence", "commitment", "entities", "surprisal", "degeneration",
        "alerts", "semantic", "attribution", "pending", "closeReason", "maxDriftIndex", "maxReferentialDrift", "maxLoopRepeats",
        "maxSemanticDriftIndex", "maxTopicShift", "maxEntityShift", "surprisalSum", "surprisalCount", "sumSentenceCoherence", "countSentenceCoherence", "firstSentenceSeq");
    StateFields.register(PendingText.class, "text", "record", "opening");
    StateFields.register(ScoreRecord.class, "v", "generationId", "runId", "model", "kind", "sentence", "sentences", "firstSeq",
        "lastSeq", "tokens", "scores", "flags", "eventTime", "closeReason");
    StateFields.register(QuantizedVector.class, "scale", "values");
    StateFields.register(SemanticCoherence.Recent.class, "vector", "tokens", "firstSeq");
  }

  private BinaryStateCodec() {}

  /** Loads the class, and with it the field registry. */
  static void touch() {}

  static byte[] encode(GenerationState s) {
    StateWriter out = new StateWriter();
    out.writeByte(VERSION);
    out.string(s.generationId);
    out.string(s.runId);
    out.string(s.model);
    out.bool(s.started);
    strings(out, s.flags);
    out.signed(s.lastSeq);
    out.signed(s.tokens);
    out.instant(s.firstEventTime);
    out.instant(s.lastEventTime);
    segmenter(out, s.segmenter);
    coherence(out, s.coherence);
    commitment(out, s.commitment);
    entities(out, s.entities);
    doubles(out, deque(SUR_SURPRISALS.get(s.surprisal)));
    degeneration(out, s.degeneration);
    alerts(out, s.alerts);
    semantic(out, s.semantic);
    attribution(out, s.attribution);
    out.varint(s.pending.size());
    for (PendingText p : s.pending) {
      out.string(p.text());
      out.bool(p.record() != null);
      if (p.record() != null) {
        record(out, p.record());
      }
      out.bool(p.opening());
    }
    out.string(s.closeReason);
    out.float64(s.maxDriftIndex);
    out.float64(s.maxReferentialDrift);
    out.float64(s.maxLoopRepeats);
    out.float64(s.maxSemanticDriftIndex);
    out.float64(s.maxTopicShift);
    out.float64(s.maxEntityShift);
    out.float64(s.surprisalSum);
    out.signed(s.surprisalCount);
    out.float64(s.sumSentenceCoherence);
    out.signed(s.countSentenceCoherence);
    out.signed(s.firstSentenceSeq);
    return out.toByteArray();
  }

  static GenerationState decode(byte[] bytes) {
    StateReader in = new StateReader(bytes, 0);
    int version = in.readByte();
    if (version != VERSION) {
      throw new IllegalArgumentException("generation state of binary version " + version + "; this build reads version " + VERSION);
    }
    GenerationState s = new GenerationState();
    s.generationId = in.string();
    s.runId = in.string();
    s.model = in.string();
    s.started = in.bool();
    readStrings(in, s.flags);
    s.lastSeq = in.signed();
    s.tokens = in.signed();
    s.firstEventTime = in.instant();
    s.lastEventTime = in.instant();
    readSegmenter(in, s.segmenter);
    readCoherence(in, s.coherence);
    readCommitment(in, s.commitment);
    readEntities(in, s.entities);
    readDoubles(in, deque(SUR_SURPRISALS.get(s.surprisal)));
    readDegeneration(in, s.degeneration);
    readAlerts(in, s.alerts);
    readSemantic(in, s.semantic);
    s.attribution = readAttribution(in);
    int pending = in.count();
    for (int i = 0; i < pending; i++) {
      String text = in.string();
      ScoreRecord record = in.bool() ? readRecord(in) : null;
      s.pending.add(new PendingText(text, record, in.bool()));
    }
    s.closeReason = in.string();
    s.maxDriftIndex = in.float64();
    s.maxReferentialDrift = in.float64();
    s.maxLoopRepeats = in.float64();
    s.maxSemanticDriftIndex = in.float64();
    s.maxTopicShift = in.float64();
    s.maxEntityShift = in.float64();
    s.surprisalSum = in.float64();
    s.surprisalCount = in.signed();
    s.sumSentenceCoherence = in.float64();
    s.countSentenceCoherence = in.signedInt();
    s.firstSentenceSeq = in.signed();
    in.end();
    return s;
  }

  private static void segmenter(StateWriter out, SentenceSegmenter seg) {
    out.string((String) SEG_TEXT.get(seg));
    out.signed((long) SEG_FIRST_SEQ.get(seg));
    out.signed((long) SEG_LAST_SEQ.get(seg));
    out.signed((int) SEG_TOKENS.get(seg));
    out.signed((int) SEG_NEXT_INDEX.get(seg));
    out.instant((java.time.Instant) SEG_LAST_EVENT_TIME.get(seg));
  }

  private static void readSegmenter(StateReader in, SentenceSegmenter seg) {
    SEG_TEXT.set(seg, in.string());
    SEG_FIRST_SEQ.set(seg, in.signed());
    SEG_LAST_SEQ.set(seg, in.signed());
    SEG_TOKENS.set(seg, in.signedInt());
    SEG_NEXT_INDEX.set(seg, in.signedInt());
    SEG_LAST_EVENT_TIME.set(seg, in.instant());
  }

  private static void coherence(StateWriter out, LexicalCoherence c) {
    stringLists(out, deque(COH_PREVIOUS.get(c)));
    doubles(out, deque(COH_VALUES.get(c)));
    out.float64((double) COH_LAST.get(c));
  }

  private static void readCoherence(StateReader in, LexicalCoherence c) {
    readStringLists(in, deque(COH_PREVIOUS.get(c)));
    readDoubles(in, deque(COH_VALUES.get(c)));
    COH_LAST.set(c, in.float64());
  }

  private static void commitment(StateWriter out, GlobalCommitment c) {
    strings(out, stringSet(COM_COMMITMENTS.get(c)));
    stringLists(out, deque(COM_WINDOW.get(c)));
  }

  private static void readCommitment(StateReader in, GlobalCommitment c) {
    readStrings(in, stringSet(COM_COMMITMENTS.get(c)));
    readStringLists(in, deque(COM_WINDOW.get(c)));
  }

  private static void entities(StateWriter out, EntityTracker e) {
    @SuppressWarnings("unchecked")
    Map<String, Integer> table = (Map<String, Integer>) ENT_TABLE.get(e);
    out.varint(table.size());
    for (Map.Entry<String, Integer> entry : table.entrySet()) {
      out.string(entry.getKey());
      out.signed(entry.getValue());
    }
    strings(out, stringSet(ENT_COMMITTED.get(e)));
    ArrayDeque<Object> window = deque(ENT_WINDOW.get(e));
    out.varint(window.size());
    for (Object entry : window) {
      @SuppressWarnings("unchecked")
      List<String> entities = (List<String>) ENTRY_ENTITIES.get(entry);
      strings(out, entities);
      out.signed((int) ENTRY_INDEX.get(entry));
      out.signed((int) ENTRY_PRONOUNS.get(entry));
      out.signed((long) ENTRY_FIRST_SEQ.get(entry));
    }
    @SuppressWarnings("unchecked")
    Map<String, String> aliases = (Map<String, String>) ENT_ALIASES.get(e);
    out.varint(aliases.size());
    for (Map.Entry<String, String> alias : aliases.entrySet()) {
      out.string(alias.getKey());
      out.string(alias.getValue());
    }
  }

  private static void readEntities(StateReader in, EntityTracker e) {
    @SuppressWarnings("unchecked")
    Map<String, Integer> table = (Map<String, Integer>) ENT_TABLE.get(e);
    int n = in.count();
    for (int i = 0; i < n; i++) {
      table.put(in.string(), in.signedInt());
    }
    readStrings(in, stringSet(ENT_COMMITTED.get(e)));
    ArrayDeque<Object> window = deque(ENT_WINDOW.get(e));
    int entries = in.count();
    for (int i = 0; i < entries; i++) {
      List<String> entities = readStringList(in);
      int index = in.signedInt();
      int pronouns = in.signedInt();
      long firstSeq = in.signed();
      try {
        window.add(NEW_ENTRY.invoke(entities, index, pronouns, firstSeq));
      } catch (Throwable t) {
        throw new IllegalStateException("cannot rebuild an entity window entry", t);
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, String> aliases = (Map<String, String>) ENT_ALIASES.get(e);
    int a = in.count();
    for (int i = 0; i < a; i++) {
      aliases.put(in.string(), in.string());
    }
  }

  private static void degeneration(StateWriter out, Degeneration d) {
    strings(out, deque(DEG_RECENT.get(d)));
    int[] runs = (int[]) DEG_RUNS.get(d);
    out.varint(runs.length);
    for (int r : runs) {
      out.signed(r);
    }
  }

  private static void readDegeneration(StateReader in, Degeneration d) {
    readStrings(in, deque(DEG_RECENT.get(d)));
    int[] runs = new int[in.count()];
    for (int i = 0; i < runs.length; i++) {
      runs[i] = in.signedInt();
    }
    DEG_RUNS.set(d, runs);
  }

  private static void alerts(StateWriter out, AlertTracker a) {
    @SuppressWarnings("unchecked")
    Map<String, Object> states = (Map<String, Object>) ALERT_STATES.get(a);
    out.varint(states.size());
    for (Map.Entry<String, Object> entry : states.entrySet()) {
      Object rule = entry.getValue();
      out.string(entry.getKey());
      out.bool((boolean) RULE_FIRING.get(rule));
      out.signed((int) RULE_ABOVE.get(rule));
      out.signed((int) RULE_BELOW.get(rule));
      out.signed((long) RULE_STREAK_FIRST_SEQ.get(rule));
    }
  }

  private static void readAlerts(StateReader in, AlertTracker a) {
    @SuppressWarnings("unchecked")
    Map<String, Object> states = (Map<String, Object>) ALERT_STATES.get(a);
    int n = in.count();
    for (int i = 0; i < n; i++) {
      String name = in.string();
      Object rule;
      try {
        rule = NEW_RULE_STATE.invoke();
      } catch (Throwable t) {
        throw new IllegalStateException("cannot rebuild an alert rule's state", t);
      }
      RULE_FIRING.set(rule, in.bool());
      RULE_ABOVE.set(rule, in.signedInt());
      RULE_BELOW.set(rule, in.signedInt());
      RULE_STREAK_FIRST_SEQ.set(rule, in.signed());
      states.put(name, rule);
    }
  }

  private static void semantic(StateWriter out, SemanticCoherence c) {
    QuantizedVector prompt = (QuantizedVector) SEM_PROMPT.get(c);
    out.bool(prompt != null);
    if (prompt != null) {
      vector(out, prompt);
    }
    @SuppressWarnings("unchecked")
    List<QuantizedVector> parts = (List<QuantizedVector>) SEM_ANCHOR_PARTS.get(c);
    out.varint(parts.size());
    for (QuantizedVector v : parts) {
      vector(out, v);
    }
    QuantizedVector anchor = (QuantizedVector) SEM_ANCHOR.get(c);
    out.bool(anchor != null);
    if (anchor != null) {
      vector(out, anchor);
    }
    ArrayDeque<SemanticCoherence.Recent> recent = deque(SEM_RECENT.get(c));
    out.varint(recent.size());
    for (SemanticCoherence.Recent r : recent) {
      vector(out, r.vector());
      out.signed(r.tokens());
      out.signed(r.firstSeq());
    }
    doubles(out, deque(SEM_LOCAL.get(c)));
    doubles(out, deque(SEM_GLOBAL.get(c)));
    doubles(out, deque(SEM_RADII.get(c)));
  }

  private static void readSemantic(StateReader in, SemanticCoherence c) {
    SEM_PROMPT.set(c, in.bool() ? readVector(in) : null);
    @SuppressWarnings("unchecked")
    List<QuantizedVector> parts = (List<QuantizedVector>) SEM_ANCHOR_PARTS.get(c);
    int n = in.count();
    for (int i = 0; i < n; i++) {
      parts.add(readVector(in));
    }
    SEM_ANCHOR.set(c, in.bool() ? readVector(in) : null);
    ArrayDeque<SemanticCoherence.Recent> recent = deque(SEM_RECENT.get(c));
    int r = in.count();
    for (int i = 0; i < r; i++) {
      recent.add(new SemanticCoherence.Recent(readVector(in), in.signed(), in.signed()));
    }
    readDoubles(in, deque(SEM_LOCAL.get(c)));
    readDoubles(in, deque(SEM_GLOBAL.get(c)));
    readDoubles(in, deque(SEM_RADII.get(c)));
  }

  private static void vector(StateWriter out, QuantizedVector v) {
    out.float32(v.scale());
    out.bytes(v.values());
  }

  private static QuantizedVector readVector(StateReader in) {
    float scale = in.float32();
    return new QuantizedVector(scale, in.bytes());
  }

  private static void attribution(StateWriter out, AttributionTrack t) {
    out.bool(t != null);
    if (t == null) {
      return;
    }
    MatchState match = (MatchState) ATT_MATCH.get(t);
    out.bool(match != null);
    if (match != null) {
      out.bytes(MatchStateCodec.encode(match));
    }
    out.string((String) ATT_PENDING_WORD.get(t));
    ArrayDeque<Long> seqs = deque(ATT_WORD_SEQS.get(t));
    out.varint(seqs.size());
    for (long seq : seqs) {
      out.signed(seq);
    }
    out.signed((int) ATT_WORDS.get(t));
  }

  private static AttributionTrack readAttribution(StateReader in) {
    if (!in.bool()) {
      return null;
    }
    AttributionTrack t = new AttributionTrack();
    ATT_MATCH.set(t, in.bool() ? MatchStateCodec.decode(in.bytes()) : null);
    ATT_PENDING_WORD.set(t, in.string());
    ArrayDeque<Long> seqs = deque(ATT_WORD_SEQS.get(t));
    int n = in.count();
    for (int i = 0; i < n; i++) {
      seqs.add(in.signed());
    }
    ATT_WORDS.set(t, in.signedInt());
    return t;
  }

  private static void record(StateWriter out, ScoreRecord r) {
    out.nullableInt(r.v());
    out.string(r.generationId());
    out.string(r.runId());
    out.string(r.model());
    out.string(r.kind());
    out.nullableInt(r.sentence());
    out.signed(r.sentences());
    out.signed(r.firstSeq());
    out.signed(r.lastSeq());
    out.signed(r.tokens());
    out.varint(r.scores().size());
    for (Map.Entry<String, Double> score : r.scores().entrySet()) {
      out.string(score.getKey());
      out.float64(score.getValue());
    }
    strings(out, r.flags());
    out.instant(r.eventTime());
    out.string(r.closeReason());
  }

  private static ScoreRecord readRecord(StateReader in) {
    Integer v = in.nullableInt();
    String generationId = in.string();
    String runId = in.string();
    String model = in.string();
    String kind = in.string();
    Integer sentence = in.nullableInt();
    int sentences = in.signedInt();
    long firstSeq = in.signed();
    long lastSeq = in.signed();
    long tokens = in.signed();
    Map<String, Double> scores = new TreeMap<>();
    int n = in.count();
    for (int i = 0; i < n; i++) {
      scores.put(in.string(), in.float64());
    }
    List<String> flags = readStringList(in);
    return new ScoreRecord(v, generationId, runId, model, kind, sentence, sentences, firstSeq, lastSeq, tokens, scores, flags,
        in.instant(), in.string());
  }

  private static void strings(StateWriter out, Collection<String> strings) {
    out.varint(strings.size());
    for (String s : strings) {
      out.string(s);
    }
  }

  private static void readStrings(StateReader in, Collection<String> into) {
    int n = in.count();
    for (int i = 0; i < n; i++) {
      into.add(in.string());
    }
  }

  /** An immutable list, as the scorers keep their windows' lists ({@code List.copyOf}). */
  private static List<String> readStringList(StateReader in) {
    String[] out = new String[in.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.string();
    }
    return List.of(out);
  }

  private static void stringLists(StateWriter out, Collection<List<String>> lists) {
    out.varint(lists.size());
    for (List<String> list : lists) {
      strings(out, list);
    }
  }

  private static void readStringLists(StateReader in, Collection<List<String>> into) {
    int n = in.count();
    for (int i = 0; i < n; i++) {
      into.add(readStringList(in));
    }
  }

  private static void doubles(StateWriter out, Collection<Double> values) {
    out.varint(values.size());
    for (double v : values) {
      out.float64(v);
    }
  }

  private static void readDoubles(StateReader in, Collection<Double> into) {
    int n = in.count();
    for (int i = 0; i < n; i++) {
      into.add(in.float64());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> ArrayDeque<T> deque(Object field) {
    return (ArrayDeque<T>) field;
  }

  @SuppressWarnings("unchecked")
  private static LinkedHashSet<String> stringSet(Object field) {
    return (LinkedHashSet<String>) field;
  }
}
