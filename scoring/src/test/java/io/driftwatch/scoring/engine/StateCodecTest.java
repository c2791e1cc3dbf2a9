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
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state codec: the binary form round-trips every state exactly, reads the JSON of earlier releases,
 * and leaves the scores of a stream unchanged.
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

  @Test
  void everyFieldOfEveryStateClassHasItsPlaceInTheBinaryForm() {
    Map<Class<?>, List<String>> known = StateFields.known();
    assertThat(known).isNotEmpty();
    known.forEach((type, fields) -> {
      Set<String> actual = new HashSet<>();
      if (type.isRecord()) {
        Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).forEach(actual::add);
      } else {
        for (Field f : type.getDeclaredFields()) {
          // Transient fields are derived from the others and rebuilt after a decode (Degeneration.hashes).
          if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers()) && !f.isSynthetic()) {
            actual.add(f.getName());
          }
        }
      }
      assertThat(actual).as("fields of %s that BinaryStateCodec writes (add a new field there, with a new version byte)",
          type.getName()).containsExactlyInAnyOrderElementsOf(fields);
    });
    // Every object a state holds is of a class the codec walks.
    assertThat(known.keySet()).extracting(Class::getSimpleName).contains("GenerationState", "SentenceSegmenter",
        "LexicalCoherence", "GlobalCommitment", "EntityTracker", "WindowEntry", "SurprisalWindow", "Degeneration", "AlertTracker",
        "RuleState", "SemanticCoherence", "QuantizedVector", "Recent", "AttributionTrack", "PendingText", "ScoreRecord");
  }

  /**
   * Property: on random streams (random text with sentence ends, paragraphs, names, non-ASCII and empty
   * tokens, random logprobs, seq gaps and duplicates, random embeddings or model failures, attribution
   * on and off, lexical scores on and off), after every event decode(encode(state)) is the same state:
   * its JSON form is byte for byte the original's, and encoding it again gives the same bytes (which
   * also pins the order of maps and sets, which the JSON form sorts).
   */
  @Test
  void randomStatesRoundTripExactly() {
    int checked = 0;
    for (long seed = 1; seed <= 60; seed++) {
      Random random = new Random(seed);
      ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS.withLexical(seed % 7 != 0), random.nextBoolean(),
          random.nextBoolean() ? attribution : null);
      InMemoryGenerationStore store = InMemoryGenerationStore.live();
      for (GenerationEvent event : randomStream("g" + seed, random)) {
        engine.process(event, store);
        embedSome(engine, store, event.generationId(), random);
        GenerationState state = store.get(event.generationId());
        if (state != null) {
          assertRoundTrip(state, seed);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(5_000);
  }

  @Test
  void stateJsonWrittenByRelease010IsStillRead() throws IOException {
    byte[] json;
    try (InputStream in = StateCodecTest.class.getResourceAsStream("state-json-0.1.0.json")) {
      json = in.readAllBytes();
    }
    GenerationState state = StateCodec.decode(json);
    assertThat(state.generationId).isEqualTo("golden");
    assertThat(state.pending).hasSize(2).allSatisfy(p -> assertThat(p.record()).isNotNull());
    assertThat(state.attribution).isNotNull();
    // Fields added since (the change point's prompt vector and maximum) read as absent.
    assertThat(state.maxTopicShift).isNaN();
    GenerationState again = StateCodec.decode(StateCodec.encode(state));
    assertThat(StateCodec.encodeJson(again)).isEqualTo(StateCodec.encodeJson(state));
    assertThat(StateCodec.encode(state).length).isLessThan(json.length);
  }

  /** Every scenario, every family: the records of a stream are the same through JSON, binary and live states. */
  @Test
  void scoresOfAStreamAreTheSameWhateverTheStateForm() {
    for (boolean lexical : new boolean[] {true, false}) {
      ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS.withLexical(lexical), false, attribution);
      for (Scenario scenario : Scenario.values()) {
        List<GenerationEvent> events = new ArrayList<>();
        for (ScenarioFixtures.Case c : ScenarioFixtures.cases(scenario, 2, 480, 11)) {
          events.addAll(c.events());
        }
        String live = outputs(engine, events, InMemoryGenerationStore.live());
        assertThat(outputs(engine, events, new InMemoryGenerationStore())).as(scenario.label()).isEqualTo(live);
        assertThat(outputs(engine, events, jsonStore())).as(scenario.label()).isEqualTo(live);
        assertThat(live).contains("\"kind\":\"summary\"");
      }
    }
  }

  @Test
  void aDamagedStateIsAnErrorNotAGuess() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    InMemoryGenerationStore store = InMemoryGenerationStore.live();
    for (GenerationEvent e : ScenarioFixtures.cases(Scenario.STEADY, 1, 120, 3).get(0).events().subList(0, 100)) {
      engine.process(e, store);
    }
    byte[] bytes = StateCodec.encode(store.openGenerations().stream().map(store::get).findFirst().orElseThrow());
    assertThat(bytes[0]).isEqualTo((byte) BinaryStateCodec.VERSION);
    assertThatThrownBy(() -> StateCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
    assertThatThrownBy(() -> StateCodec.decode(Arrays.copyOf(bytes, bytes.length + 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("left over");
    byte[] newer = bytes.clone();
    newer[0] = 7;
    assertThatThrownBy(() -> StateCodec.decode(newer)).hasMessageContaining("first byte 7");
    assertThatThrownBy(() -> StateCodec.decode(new byte[0])).hasMessageContaining("empty");
  }

  private static void assertRoundTrip(GenerationState state, long seed) {
    byte[] binary = StateCodec.encode(state);
    byte[] json = StateCodec.encodeJson(state);
    GenerationState decoded = StateCodec.decode(binary);
    assertThat(new String(StateCodec.encodeJson(decoded), StandardCharsets.UTF_8)).as("seed %d", seed)
        .isEqualTo(new String(json, StandardCharsets.UTF_8));
    assertThat(StateCodec.encode(decoded)).as("seed %d", seed).isEqualTo(binary);
    // The JSON form sorts map keys, so it does not keep the order of insertion that the binary form keeps;
    // it reads back into the same JSON.
    assertThat(StateCodec.encodeJson(StateCodec.decode(json))).as("seed %d: JSON round trip", seed).isEqualTo(json);
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

  /** Embeds some of the waiting texts: random unit vectors, now and then a model failure (null). */
  private static void embedSome(ScoringEngine engine, GenerationStore store, String id, Random random) {
    int waiting = engine.pendingTexts(id, store).size();
    if (!engine.semantic() || waiting == 0 || random.nextInt(3) == 0) {
      return;
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
    engine.completeEmbeddings(id, vectors, store);
  }

  private static String outputs(ScoringEngine engine, List<GenerationEvent> events, GenerationStore store) {
    StringBuilder b = new StringBuilder();
    Function<Object, String> json = r -> new String(EventCodec.toJson(r), StandardCharsets.UTF_8);
    for (GenerationEvent e : events) {
      Output out = engine.process(e, store);
      out.scores().forEach(r -> b.append(json.apply(r)).append('\n'));
      out.alerts().forEach(r -> b.append(json.apply(r)).append('\n'));
      out.spans().forEach(r -> b.append(json.apply(r)).append('\n'));
      out.rejections().forEach(r -> b.append(r).append('\n'));
    }
    return b.toString();
  }

  /** A store that keeps states as the JSON of earlier releases. */
  private static GenerationStore jsonStore() {
    return new GenerationStore() {
      private final Map<String, byte[]> open = new HashMap<>();
      private final Set<String> closed = new HashSet<>();

      @Override
      public GenerationState get(String generationId) {
        byte[] json = open.get(generationId);
        if (json != null) {
          assertThat(json[0]).isEqualTo((byte) '{');
        }
        return json == null ? null : StateCodec.decode(json);
      }

      @Override
      public void put(String generationId, GenerationState state) {
        open.put(generationId, StateCodec.encodeJson(state));
      }

      @Override
      public void delete(String generationId) {
        open.remove(generationId);
      }

      @Override
      public boolean isClosed(String generationId) {
        return closed.contains(generationId);
      }

      @Override
      public void markClosed(String generationId, Instant lastEventTime) {
        closed.add(generationId);
      }
    };
  }
}
