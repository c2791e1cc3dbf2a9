package io.driftwatch.benchmarks;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.coherence.GlobalCommitment;
import io.driftwatch.scoring.coherence.LexicalCoherence;
import io.driftwatch.scoring.degeneration.Degeneration;
import io.driftwatch.scoring.engine.Output;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import io.driftwatch.scoring.reference.EntityTracker;
import io.driftwatch.scoring.text.Sentence;
import io.driftwatch.scoring.text.SentenceSegmenter;
import io.driftwatch.scoring.text.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lexical scorers on a warm state (a generation some hundreds of tokens in): the engine's whole step
 * for one token with live state objects (no state codec), the per-token degeneration scorer alone and its
 * per-sentence readings, and the per-sentence scorers (coherence, commitment, entities) for one sentence.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LexicalScorersBenchmark {

  private static final ScoringSettings SETTINGS = ScoringSettings.DEFAULTS;

  private List<String> tokens;
  private List<Sentence> sentences;
  private ScoringEngine engine;
  private InMemoryGenerationStore store;
  private long seq;
  private Degeneration degeneration;
  private int token;
  private LexicalCoherence coherence;
  private GlobalCommitment commitment;
  private EntityTracker entities;
  private int sentence;

  @Setup
  public void setUp() {
    tokens = Workload.tokens(2000, 2);
    engine = new ScoringEngine(SETTINGS);
    store = InMemoryGenerationStore.live();
    List<GenerationEvent> warm = Workload.generation("g", Scenario.STEADY, 400, 2);
    for (GenerationEvent e : warm.subList(0, warm.size() - 1)) {
      engine.process(e, store);
    }
    seq = 400;

    degeneration = new Degeneration();
    for (int i = 0; i < 200; i++) {
      degeneration.observe(tokens.get(i), SETTINGS.repetitionWindow(), SETTINGS.maxLoopPeriod());
    }
    sentences = new ArrayList<>();
    SentenceSegmenter cutter = new SentenceSegmenter();
    for (int i = 0; i < tokens.size(); i++) {
      cutter.accept(i, tokens.get(i), Workload.T0, SETTINGS.maxSentenceTokens()).ifPresent(sentences::add);
    }
    coherence = new LexicalCoherence();
    commitment = new GlobalCommitment();
    entities = new EntityTracker();
    entities.observePrompt(warm.get(0) instanceof GenerationEvent.Start s ? s.prompt() : "");
    for (int i = 0; i < SETTINGS.openingSentences(); i++) {
      commitment.commit(Words.contentStems(sentences.get(i).text()));
    }
    for (int i = 0; i < 20; i++) {
      sentenceScorers();
    }
  }

  /** The engine's step for one token event of a warm generation, lexical scores, state kept live. */
  @Benchmark
  public Output engineTokenStep() {
    long s = seq++;
    return engine.process(new GenerationEvent.Token(1, "g", s, tokens.get((int) (s % tokens.size())), null, null, null,
        Workload.T0.plusMillis(25 * s)), store);
  }

  /** Repetition and loop detection, per token. */
  @Benchmark
  public Degeneration degenerationTokenStep() {
    degeneration.observe(tokens.get(token), SETTINGS.repetitionWindow(), SETTINGS.maxLoopPeriod());
    token = (token + 1) % tokens.size();
    return degeneration;
  }

  /** Per sentence: the degeneration scorer's readings (repetition rate and loop) over its full ring. */
  @Benchmark
  public double degenerationSentenceReadings() {
    return degeneration.repetitionRate(SETTINGS.repetitionWindow(), SETTINGS.repetitionNgram())
        + degeneration.loop(SETTINGS.minLoopTokens()).repeats();
  }

  /** Per sentence: content stems, entities, local coherence and global commitment. */
  @Benchmark
  public double sentenceScorers() {
    Sentence s = sentences.get(sentence);
    sentence = (sentence + 1) % sentences.size();
    Set<String> stems = Words.contentStems(s.text());
    int index = s.index() + 10; // past the opening: the window case
    boolean continues = entities.observe(s.text(), index, false, SETTINGS.windowSentences(), s.firstSeq(), SETTINGS.shiftSentences());
    commitment.observe(stems, SETTINGS.windowSentences());
    return coherence.observe(stems, continues, SETTINGS.windowSentences()) + commitment.commitment() + entities.reading(SETTINGS.windowSentences()).drift();
  }
}
