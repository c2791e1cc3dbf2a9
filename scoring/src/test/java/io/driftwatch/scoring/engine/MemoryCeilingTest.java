package io.driftwatch.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.contract.EventValidator;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.GenerationEvent.Chunk;
import io.driftwatch.contract.GenerationEvent.ChunkToken;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.producers.text.SimpleTokenizer;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory a generation's state may take has a ceiling, whatever the generation's length and content
 * (docs/memory.md has the figures and how each part of the state is bounded):
 * <ul>
 *   <li>10,000 concurrent open generations of realistic text, interleaved, none closed, held as live
 *       objects: retained heap stays under {@value #LIVE_CEILING_BYTES} bytes each;</li>
 *   <li>the same generations as the state store keeps them (serialised): under
 *       {@value #STORED_CEILING_BYTES} bytes each; with attribution, a whole book copied verbatim, under
 *       {@value #STORED_WITH_ATTRIBUTION_CEILING_BYTES};</li>
 *   <li>a 50,000-token generation built to bloat the state (hostile text): its serialised state stays
 *       under {@value #WORST_CASE_CEILING_BYTES} bytes at every step sampled, below Kafka's default 1 MB
 *       record limit of the changelog (it reached 7.3 MB before the caps of docs/memory.md).</li>
 * </ul>
 * Reproduce: {@code mvn -B -pl scoring -am test -Dtest=MemoryCeilingTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (the figures are printed).
 */
class MemoryCeilingTest {

  /** Documented ceiling of one open generation's live state objects on the heap (lexical scores). */
  static final int LIVE_CEILING_BYTES = 24 * 1024;
  /** Documented ceiling of one open generation's serialised state, realistic text (lexical scores). */
  static final int STORED_CEILING_BYTES = 8 * 1024;
  /** Documented ceiling of a generation's serialised state with attribution, realistic text. */
  static final int STORED_WITH_ATTRIBUTION_CEILING_BYTES = 40 * 1024;
  /** Documented ceiling of any generation's serialised state, hostile input included (lexical + attribution). */
  static final int WORST_CASE_CEILING_BYTES = 512 * 1024;

  private static final int GENERATIONS = 10_000;
  private static final int TOKENS = 200;
  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

  @Test
  void tenThousandOpenGenerationsStayUnderTheHeapCeiling() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    // 200 distinct realistic generations (demo scenarios over three public-domain books), reused by id.
    Random random = new Random(9);
    Scenario[] scenarios = {Scenario.STEADY, Scenario.TOPIC_DRIFT, Scenario.ENTITY_SWAP, Scenario.REPETITION_LOOP};
    List<Scenario.Script> scripts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      scripts.add(scenarios[i % scenarios.length].script(ScenarioFixtures.CORPUS, random, TOKENS));
    }

    long before = usedHeapAfterGc();
    InMemoryGenerationStore live = InMemoryGenerationStore.live();
    feedInterleaved(engine, scripts, live);
    long retained = usedHeapAfterGc() - before;
    assertThat(live.openGenerations()).hasSize(GENERATIONS);

    long stored = 0;
    int largest = 0;
    for (String id : live.openGenerations()) {
      int size = StateCodec.encode(live.get(id)).length;
      stored += size;
      largest = Math.max(largest, size);
    }
    System.out.printf("%,d open generations of %d tokens: retained heap %,d bytes (%,d per generation); "
        + "serialised %,d bytes (mean %,d, largest %,d)%n", GENERATIONS, TOKENS, retained, retained / GENERATIONS,
        stored, stored / GENERATIONS, largest);
    assertThat(retained).isLessThan((long) LIVE_CEILING_BYTES * GENERATIONS + 32L * 1024 * 1024);
    assertThat(largest).isLessThan(STORED_CEILING_BYTES);
    // Keep the states reachable until measured.
    assertThat(live.get("g-0")).isNotNull();
  }

  /** Every generation gets its tokens in chunks of 1 to 16, round-robin, so all 10,000 are open together. */
  private static void feedInterleaved(ScoringEngine engine, List<Scenario.Script> scripts, InMemoryGenerationStore store) {
    int[] next = new int[GENERATIONS];
    for (int g = 0; g < GENERATIONS; g++) {
      Scenario.Script script = scripts.get(g % scripts.size());
      engine.process(new GenerationEvent.Start(1, "g-" + g, "memory", "model", script.prompt(), null, Map.of(), T0), store);
    }
    Random random = new Random(10);
    boolean more = true;
    while (more) {
      more = false;
      for (int g = 0; g < GENERATIONS; g++) {
        List<String> tokens = scripts.get(g % scripts.size()).tokens();
        int from = next[g];
        if (from >= tokens.size()) {
          continue;
        }
        int to = Math.min(tokens.size(), from + 1 + random.nextInt(16));
        List<ChunkToken> chunk = new ArrayList<>();
        for (String t : tokens.subList(from, to)) {
          chunk.add(new ChunkToken(t, null, -random.nextDouble() * 4, null));
        }
        engine.process(new Chunk(1, "g-" + g, (long) from, chunk, T0.plusMillis(25L * to)), store);
        next[g] = to;
        more = true;
      }
    }
  }

  @Test
  void hostileFiftyThousandTokenGenerationStaysUnderTheWorstCaseCeiling() {
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    InMemoryGenerationStore store = InMemoryGenerationStore.live();
    Random random = new Random(11);
    // A prompt of thousands of distinct long capitalised non-ASCII words: commitments and entities.
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; i < 6000; i++) {
      prompt.append(" Ж").append(hostileWord(random, 40)).append(i % 5 == 0 ? "." : "");
    }
    engine.process(new GenerationEvent.Start(1, "hostile", "r", "m", prompt.toString(), null, Map.of(), T0), store);
    int largest = 0;
    for (int seq = 0; seq < 50_000; seq++) {
      String token = switch (random.nextInt(20)) {
        case 0 -> " " + "\u0001".repeat(EventValidator.MAX_TOKEN_CHARS); // escapes to six bytes a character
        case 1 -> " Ж" + hostileWord(random, 200); // a long new entity
        case 2 -> "\n\n";
        default -> " Ё" + hostileWord(random, 12) + "\u0007";
      };
      engine.process(new GenerationEvent.Token(1, "hostile", (long) seq, token, null, -random.nextDouble(), null,
          T0.plusMillis(seq)), store);
      if (seq % 97 == 0) {
        largest = Math.max(largest, StateCodec.encode(store.get("hostile")).length);
      }
    }
    byte[] last = StateCodec.encode(store.get("hostile"));
    largest = Math.max(largest, last.length);
    System.out.printf("hostile 50,000-token generation: serialised state largest %,d bytes, at the end %,d%n", largest,
        last.length);
    assertThat(largest).isLessThan(WORST_CASE_CEILING_BYTES);
    // And it can be read back (a map key over Jackson's 50,000-character limit once made it unreadable).
    assertThat(StateCodec.encode(StateCodec.decode(last))).isEqualTo(last);
  }

  @Test
  void verbatimCopyOfAWholeBookWithAttributionStaysUnderTheWorstCaseCeiling(@TempDir Path dir) throws IOException {
    String book = resource("pride_and_prejudice.txt");
    new IndexBuilder(dir).addText("pride_and_prejudice.txt", book).build();
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS, false,
        new AttributionScoring(new StreamingMatcher(AttributionIndex.open(dir), MatchSettings.DEFAULTS)));
    InMemoryGenerationStore store = InMemoryGenerationStore.live();
    List<String> tokens = SimpleTokenizer.tokenize(book);
    engine.process(new GenerationEvent.Start(1, "copy", "r", "m", "Recite the book.", null, Map.of(), T0), store);
    int largest = 0;
    int n = Math.min(50_000, tokens.size());
    for (int seq = 0; seq < n; seq++) {
      engine.process(new GenerationEvent.Token(1, "copy", (long) seq, tokens.get(seq), null, null, null, T0.plusMillis(seq)), store);
      if (seq % 97 == 0) {
        largest = Math.max(largest, StateCodec.encode(store.get("copy")).length);
      }
    }
    largest = Math.max(largest, StateCodec.encode(store.get("copy")).length);
    System.out.printf("verbatim copy of %,d tokens with attribution: serialised state largest %,d bytes%n", n, largest);
    // The seqs of the copied words are kept only as far back as the matcher's window (they grew with the
    // copy, to 243 KB at 50,000 tokens, before AttributionScoring capped them).
    assertThat(largest).isLessThan(STORED_WITH_ATTRIBUTION_CEILING_BYTES);
  }

  /** Letters and digits from all over the BMP: each takes up to three bytes in UTF-8. */
  private static String hostileWord(Random random, int length) {
    StringBuilder b = new StringBuilder(length);
    while (b.length() < length) {
      int c = 0x3400 + random.nextInt(0x4DB5 - 0x3400); // CJK Extension A: letters, three bytes each
      b.append((char) c);
    }
    return b.toString();
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = MemoryCeilingTest.class.getResourceAsStream("/io/driftwatch/producers/books/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
