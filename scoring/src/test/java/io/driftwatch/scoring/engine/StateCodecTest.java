package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.alert.AlertRule;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state codec: a generation resumed from its encoded state carries on exactly as the live one,
 * whatever scorers run and wherever the stream is cut; a state of another version, cut short or with
 * bytes left over is refused.
 */
class StateCodecTest {

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00.123456789Z");
  private static AttributionScoring attribution;

  @BeforeAll
  static void index(@TempDir Path dir) throws IOException {
    IndexBuilder builder = new IndexBuilder(dir);
    for (Map.Entry<String, String> book : ScenarioFixtures.CORPUS.references().entrySet()) {
      builder.addText(book.getKey(), book.getValue());
    }
    builder.build();
    attribution = new AttributionScoring(new StreamingMatcher(AttributionIndex.open(dir), MatchSettings.DEFAULTS));
  }

  /**
   * Property, over random generations (random words with sentence ends, paragraphs, names, non-ASCII and
   * empty tokens, or a demo scenario: steady, topic drift, loop, entity swap, verbatim copy; random
   * logprobs, seq gaps and duplicates, embeddings arriving late or failing; attribution, lexical and
   * semantic scores each on or off): cut the stream at random points, encode the live state there, decode
   * it, and feed the rest of the stream both to the live state and to the decoded one. Every output must
   * be the same, and so must the two states' bytes after every event. A field a scorer leaves out of its
   * {@code writeTo} (and {@code readFrom}) comes back at its initial value, and the scores that depend on
   * it then differ from the live ones.
   */
  @Test
  void aStateResumedFromItsBytesCarriesOnExactlyAsTheLiveOne() {
    Map<String, Integer> covered = new TreeMap<>();
    int resumed = 0;
    for (long seed = 1; seed <= 160; seed++) {
      Random random = new Random(seed);
      ScoringSettings settings = ScoringSettings.DEFAULTS.withLexical(seed % 7 != 0).withAlertRules(randomRules(random));
      ScoringEngine engine = new ScoringEngine(settings, random.nextBoolean(), random.nextBoolean() ? attribution : null);
      String id = "g" + seed;
      List<GenerationEvent> events = withLateTokens(switch (random.nextInt(3)) {
        case 0 -> randomStream(id, random);
        case 1 -> scenarioStream(id, random);
        default -> mosaicStream(id, random);
      });
      for (int cuts = 0; cuts < 3; cuts++) {
        // One cut of three near the end, where a generation that ended may still wait for embeddings.
        int cut = cuts == 2 ? events.size() - 1 - random.nextInt(5) : 1 + random.nextInt(events.size() - 1);
        // Some semantic generations are shed when they appear; the restored store would not shed them, so
        // only the decision kept in the state keeps them shed.
        boolean shed = seed % 5 == 0;
        InMemoryGenerationStore live = InMemoryGenerationStore.live().shedding(g -> shed);
        for (int i = 0; i < cut; i++) {
          step(engine, events.get(i), live, new Random(seed * 1_000_003 + i));
        }
        GenerationState state = live.get(id);
        if (state == null) {
          continue;
        }
        cover(state, engine, covered);
        byte[] bytes = StateCodec.encode(state);
        GenerationState decoded = StateCodec.decode(bytes);
        assertThat(StateCodec.encode(decoded)).as("seed %d, cut at event %d: re-encoded", seed, cut).isEqualTo(bytes);
        InMemoryGenerationStore restored = InMemoryGenerationStore.live();
        restored.put(id, decoded);
        for (int i = cut; i < events.size(); i++) {
          String expected = step(engine, events.get(i), live, new Random(seed * 1_000_003 + i));
          String actual = step(engine, events.get(i), restored, new Random(seed * 1_000_003 + i));
          assertThat(actual).as("seed %d, cut at event %d: outputs of event %d", seed, cut, i).isEqualTo(expected);
          assertThat(encoded(restored.get(id))).as("seed %d, cut at event %d: state after event %d", seed, cut, i)
              .isEqualTo(encoded(live.get(id)));
        }
        resumed++;
      }
    }
    assertThat(resumed).isGreaterThan(300);
    // Every scorer held state at some of the cuts, so each one's writeTo and readFrom were exercised.
    assertThat(covered).as("cuts at which each part of the state was in use").containsOnlyKeys(COVERAGE)
        .allSatisfy((part, cuts) -> assertThat(cuts).as(part).isGreaterThanOrEqualTo(5));
  }

  private static final List<String> COVERAGE = List.of("attribution", "alert firing", "closing after embeddings",
      "commitments", "entities", "lexical coherence", "loop", "pending texts", "segmenter", "semantic coherence", "semantic shed",
      "span mosaic", "surprisal");

  /** Scores that move from sentence to sentence, so that rules on them fire and clear often. */
  private static final List<String> RULE_SCORES = List.of("sentence_coherence", "local_coherence", "referential_drift",
      "repetition_rate", "sentence_semantic_coherence", "semantic_local_coherence", "loop_repeats");

  /** The default rules and, for most streams, a few more with random thresholds and streak lengths. */
  private static List<AlertRule> randomRules(Random random) {
    List<AlertRule> rules = new ArrayList<>(ScoringSettings.DEFAULT_RULES);
    int more = random.nextInt(4);
    for (int i = 0; i < more; i++) {
      double fireAt = 0.05 + random.nextDouble() * 0.6;
      rules.add(new AlertRule("random_" + i, RULE_SCORES.get(random.nextInt(RULE_SCORES.size())), fireAt,
          fireAt - random.nextDouble() * 0.2, 1 + random.nextInt(3), 1 + random.nextInt(3)));
    }
    return rules;
  }

  /** Counts the parts of the state in use at a cut. */
  private static void cover(GenerationState s, ScoringEngine engine, Map<String, Integer> covered) {
    Map<String, Boolean> parts = Map.ofEntries(
        Map.entry("attribution", s.attribution != null),
        Map.entry("alert firing", !s.alerts.firing(engine.settings().alertRules()).isEmpty()),
        Map.entry("closing after embeddings", s.closeReason != null),
        Map.entry("commitments", s.commitment.commitments() > 0),
        Map.entry("entities", s.entities.entities() > 0),
        Map.entry("lexical coherence", !Double.isNaN(s.coherence.rolling())),
        Map.entry("loop", s.degeneration.loop(ScoringSettings.DEFAULTS.minLoopTokens()).repeats() > 1),
        Map.entry("pending texts", !s.pending.isEmpty()),
        Map.entry("segmenter", s.segmenter.sentences() > 0),
        Map.entry("semantic coherence", !Double.isNaN(s.semantic.localCoherence())),
        Map.entry("semantic shed", s.semanticShed),
        Map.entry("span mosaic", s.attribution != null && s.attribution.mosaic().spans() > 1),
        Map.entry("surprisal", !s.surprisal.isEmpty()));
    parts.forEach((part, inUse) -> {
      if (inUse) {
        covered.merge(part, 1, Integer::sum);
      }
    });
  }

  /** One event, then (semantic scoring) some of the waiting texts embedded; the outputs of both as text. */
  private static String step(ScoringEngine engine, GenerationEvent event, GenerationStore store, Random random) {
    StringBuilder b = new StringBuilder();
    append(b, engine.process(event, store));
    Output embedded = embedSome(engine, store, event.generationId(), random);
    if (embedded != null) {
      append(b, embedded);
    }
    return b.toString();
  }

  private static byte[] encoded(GenerationState state) {
    return state == null ? null : StateCodec.encode(state);
  }

  /** Every scenario, every family: the records of a stream are the same through stored and live states. */
  @Test
  void scoresOfAStreamAreTheSameThroughStoredStates() {
    for (boolean lexical : new boolean[] {true, false}) {
      ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS.withLexical(lexical), false, attribution);
      for (Scenario scenario : Scenario.values()) {
        List<GenerationEvent> events = new ArrayList<>();
        for (ScenarioFixtures.Case c : ScenarioFixtures.cases(scenario, 2, 480, 11)) {
          events.addAll(c.events());
        }
        String live = outputs(engine, events, InMemoryGenerationStore.live());
        assertThat(outputs(engine, events, new InMemoryGenerationStore())).as(scenario.label()).isEqualTo(live);
        assertThat(live).contains("\"kind\":\"summary\"");
      }
    }
  }

  @Test
  void aStateOfAnotherVersionIsRefused() {
    byte[] bytes = someState();
    assertThat(bytes[0]).isEqualTo((byte) StateCodec.VERSION);
    for (int version : new int[] {0, 1, 2, 3, 4, 5, 6, StateCodec.VERSION + 1, '{', 0xFF}) {
      byte[] other = bytes.clone();
      other[0] = (byte) version;
      assertThatThrownBy(() -> StateCodec.decode(other)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("format version " + version + "; this build reads version " + StateCodec.VERSION + " only");
    }
  }

  /** Cut anywhere, a state is refused, and the message says where it ends; it is never read as a shorter state. */
  @Test
  void aStateCutShortIsRefusedWhereverItIsCut() {
    byte[] bytes = someState();
    assertThatThrownBy(() -> StateCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty generation state");
    for (int length = 1; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> StateCodec.decode(cut)).as("cut to %d of %d bytes", length, bytes.length)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("generation state cut short at byte ");
    }
  }

  @Test
  void bytesAfterTheStateAreRefused() {
    byte[] bytes = someState();
    assertThatThrownBy(() -> StateCodec.decode(Arrays.copyOf(bytes, bytes.length + 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 bytes left over");
  }

  /** A state with every part in use: attribution, semantic vectors, texts waiting for embeddings. */
  private static byte[] someState() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, true, attribution);
    InMemoryGenerationStore store = InMemoryGenerationStore.live();
    List<GenerationEvent> events = ScenarioFixtures.cases(Scenario.VERBATIM_COPY, 1, 240, 3).get(0).events();
    Random random = new Random(3);
    for (GenerationEvent e : events.subList(0, 200)) {
      step(engine, e, store, random);
    }
    GenerationState state = store.get(events.get(0).generationId());
    assertThat(state.attribution).isNotNull();
    assertThat(state.semantic.localCoherence()).isNotNaN();
    return StateCodec.encode(state);
  }

  private static final List<String> WORDS = List.of("the", "Elizabeth", "Darcy", "she", "he", "walked", "into", "garden",
      "Mr.", "Bennet", "café", "naïve", "Zürich", "日本", "😀", "3.5", "it", "was", "quiet", "and", "they", "said", "Eliza");
  private static final List<String> ENDS = List.of(".", "!", "?", ".\"", ")", ",", ";", "");

  /** A random generation: start (sometimes late or missing), tokens with gaps and duplicates, sometimes an end. */
  private static List<GenerationEvent> randomStream(String id, Random random) {
    List<GenerationEvent> events = new ArrayList<>();
    boolean lateStart = random.nextInt(5) == 0;
    GenerationEvent.Start start = new GenerationEvent.Start(1, id, "run-" + random.nextInt(3), "model", randomText(random, 12), null,
        Map.of(), T0);
    if (!lateStart && random.nextInt(8) != 0) {
      events.add(start);
    }
    int tokens = 100 + random.nextInt(300);
    long seq = 0;
    for (int i = 0; i < tokens; i++) {
      String text = switch (random.nextInt(12)) {
        case 0 -> ENDS.get(random.nextInt(ENDS.size()));
        case 1 -> "\n\n";
        case 2 -> "";
        default -> " " + WORDS.get(random.nextInt(WORDS.size()));
      };
      Double logprob = random.nextInt(3) == 0 ? null : -random.nextDouble() * 6;
      events.add(new GenerationEvent.Token(1, id, seq, text, null, logprob, null, T0.plusNanos(25_000_123L * (i + 1))));
      seq += random.nextInt(30) == 0 ? 2 : random.nextInt(40) == 0 ? 0 : 1;
      if (lateStart && i == 20) {
        events.add(start);
      }
    }
    if (random.nextBoolean()) {
      events.add(new GenerationEvent.End(1, id, "stop", T0.plusSeconds(60)));
    }
    return events;
  }

  private static String randomText(Random random, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      b.append(i == 0 ? "" : " ").append(WORDS.get(random.nextInt(WORDS.size())));
    }
    return b.append('.').toString();
  }

  /**
   * A patch mosaic: pieces of 6 to 15 words from random places in the reference books, each followed by
   * an invented word, so that the generation is many short verbatim spans from several sources.
   */
  private static List<GenerationEvent> mosaicStream(String id, Random random) {
    List<String> books = new ArrayList<>(new TreeMap<>(ScenarioFixtures.CORPUS.references()).values());
    List<GenerationEvent> events = new ArrayList<>();
    events.add(new GenerationEvent.Start(1, id, "run-mosaic", "model", "Write.", null, Map.of(), T0));
    long seq = 0;
    int pieces = 3 + random.nextInt(10);
    for (int p = 0; p < pieces; p++) {
      String[] words = books.get(random.nextInt(books.size())).split("\\s+");
      int length = 6 + random.nextInt(10);
      int from = random.nextInt(words.length - length);
      List<String> piece = new ArrayList<>(Arrays.asList(words).subList(from, from + length));
      piece.add("zqxv" + p);
      for (String word : piece) {
        events.add(new GenerationEvent.Token(1, id, seq, " " + word, null, null, null, T0.plusNanos(25_000_123L * (seq + 1))));
        seq++;
      }
    }
    if (random.nextBoolean()) {
      events.add(new GenerationEvent.End(1, id, "stop", T0.plusSeconds(60)));
    }
    return events;
  }

  /** A demo scenario's generation, with random logprobs on some tokens. */
  private static List<GenerationEvent> scenarioStream(String id, Random random) {
    Scenario scenario = Scenario.values()[random.nextInt(Scenario.values().length)];
    Scenario.Script script = scenario.script(ScenarioFixtures.CORPUS, random, 120 + random.nextInt(360));
    List<GenerationEvent> events = new ArrayList<>();
    for (GenerationEvent e : ScenarioFixtures.events(id, script)) {
      if (e instanceof GenerationEvent.Token t && random.nextBoolean()) {
        e = new GenerationEvent.Token(t.v(), t.generationId(), t.seq(), t.text(), t.tokenId(), -random.nextDouble() * 6, t.topLogprobs(),
            t.eventTime());
      }
      events.add(e);
    }
    return events;
  }

  /**
   * The stream, and after its end (if it has one) a few tokens that come too late: so that a cut can
   * fall between the end and the embeddings that the closing generation still waits for.
   */
  private static List<GenerationEvent> withLateTokens(List<GenerationEvent> events) {
    if (!(events.get(events.size() - 1) instanceof GenerationEvent.End end)) {
      return events;
    }
    List<GenerationEvent> out = new ArrayList<>(events);
    for (int i = 0; i < 3; i++) {
      out.add(new GenerationEvent.Token(1, end.generationId(), 100_000L + i, " late", null, null, null, end.eventTime().plusSeconds(i + 1)));
    }
    return out;
  }

  /** Embeds some of the waiting texts: random unit vectors, now and then a model failure (null). */
  private static Output embedSome(ScoringEngine engine, GenerationStore store, String id, Random random) {
    int waiting = engine.pendingTexts(id, store).size();
    if (!engine.semantic() || waiting == 0 || random.nextInt(3) == 0) {
      return null;
    }
    float[][] vectors = new float[1 + random.nextInt(waiting)][];
    for (int i = 0; i < vectors.length; i++) {
      if (random.nextInt(10) != 0) {
        float[] v = new float[16];
        double norm = 0;
        for (int d = 0; d < v.length; d++) {
          v[d] = (float) random.nextGaussian();
          norm += v[d] * v[d];
        }
        for (int d = 0; d < v.length; d++) {
          v[d] /= (float) Math.sqrt(norm);
        }
        vectors[i] = v;
      }
    }
    return engine.completeEmbeddings(id, vectors, store);
  }

  private static String outputs(ScoringEngine engine, List<GenerationEvent> events, GenerationStore store) {
    StringBuilder b = new StringBuilder();
    for (GenerationEvent e : events) {
      append(b, engine.process(e, store));
    }
    return b.toString();
  }

  private static void append(StringBuilder b, Output out) {
    Function<Object, String> json = r -> new String(EventCodec.toJson(r), StandardCharsets.UTF_8);
    out.scores().forEach(r -> b.append(json.apply(r)).append('\n'));
    out.alerts().forEach(r -> b.append(json.apply(r)).append('\n'));
    out.spans().forEach(r -> b.append(json.apply(r)).append('\n'));
    out.rejections().forEach(r -> b.append(r).append('\n'));
    b.append("pending ").append(out.pending()).append('\n');
  }
}
