package io.driftwatch.benchmarks;

import io.driftwatch.attribution.AttributionIndex;
import io.driftwatch.attribution.MatchListener;
import io.driftwatch.attribution.MatchSettings;
import io.driftwatch.attribution.MatchState;
import io.driftwatch.attribution.StreamingMatcher;
import io.driftwatch.attribution.WordTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Attribution lookup: one word through the streaming matcher, on an index of the demo's public-domain
 * reference book (The Coquette, 54,000 words) built in setup. The words come from passages copied from
 * the book ({@code copied}), from another book not in the index ({@code fresh}), or half of each in
 * passages of 200 words ({@code mixed}). A generation's state starts afresh every 2,000 words.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AttributionBenchmark {

  private static final int GENERATION_WORDS = 2000;

  @Param({"mixed", "fresh", "copied"})
  public String text;

  private Path dir;
  private StreamingMatcher matcher;
  private List<String> words;
  private MatchState state;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    dir = Workload.tempDir();
    AttributionIndex index = Workload.referenceIndex(dir);
    matcher = new StreamingMatcher(index, MatchSettings.DEFAULTS);
    List<String> copied = WordTokenizer.words(Workload.CORPUS.references().values().iterator().next());
    List<String> fresh = new ArrayList<>();
    Workload.tokens(4000, 3).forEach(t -> fresh.addAll(WordTokenizer.words(t)));
    words = new ArrayList<>();
    int c = 1000;
    int f = 0;
    while (words.size() < 20 * GENERATION_WORDS) {
      boolean copy = switch (text) {
        case "copied" -> true;
        case "fresh" -> false;
        default -> (words.size() / 200) % 2 == 0;
      };
      if (copy) {
        words.add(copied.get(c++ % copied.size()));
      } else {
        words.add(fresh.get(f++ % fresh.size()));
      }
    }
    state = matcher.start();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Workload.delete(dir);
  }

  /** The next word of the generation: extend or re-search the current match. */
  @Benchmark
  public int matcherWordStep() {
    if (next % GENERATION_WORDS == 0) {
      state = matcher.start();
    }
    int m = matcher.append(state, words.get(next), MatchListener.NONE);
    next = (next + 1) % words.size();
    return m;
  }
}
