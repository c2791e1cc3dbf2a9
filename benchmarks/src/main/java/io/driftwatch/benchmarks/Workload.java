package io.driftwatch.benchmarks;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The benchmarks' input: labelled demo generations (the same scenarios as {@code driftwatch bench}) and
 * a reference index of the demo's public-domain reference book, built in a temporary directory.
 */
final class Workload {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final DemoCorpus CORPUS = DemoCorpus.load();

  private Workload() {}

  /** One generation's events, start to end, of the given scenario; event times 25 ms apart. */
  static List<GenerationEvent> generation(String id, Scenario scenario, int tokens, long seed) {
    Scenario.Script script = scenario.script(CORPUS, new Random(seed), tokens);
    List<GenerationEvent> events = new ArrayList<>();
    events.add(new GenerationEvent.Start(1, id, "bench", "bench-model", script.prompt(), null, Map.of("scenario", scenario.label()), T0));
    for (int i = 0; i < script.tokens().size(); i++) {
      events.add(new GenerationEvent.Token(1, id, (long) i, script.tokens().get(i), null, null, null, T0.plusMillis(25L * (i + 1))));
    }
    events.add(new GenerationEvent.End(1, id, "length", T0.plusMillis(25L * (tokens + 1))));
    return events;
  }

  /** The token texts of a generation of every scenario in turn, {@code perScenario} tokens each. */
  static List<String> tokens(int perScenario, long seed) {
    List<String> out = new ArrayList<>();
    for (Scenario scenario : Scenario.values()) {
      out.addAll(scenario.script(CORPUS, new Random(seed), perScenario).tokens());
    }
    return out;
  }

  /** An index of the demo's reference book in a fresh directory; {@link #delete} it after. */
  static AttributionIndex referenceIndex(Path dir) {
    try {
      IndexBuilder builder = new IndexBuilder(dir);
      for (Map.Entry<String, String> book : CORPUS.references().entrySet()) {
        builder.addText(book.getKey(), book.getValue());
      }
      builder.build();
      return AttributionIndex.open(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("driftwatch-jmh-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
