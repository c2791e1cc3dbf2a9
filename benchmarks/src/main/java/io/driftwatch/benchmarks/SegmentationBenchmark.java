package io.driftwatch.benchmarks;

import io.driftwatch.scoring.text.Sentence;
import io.driftwatch.scoring.text.SentenceSegmenter;
import io.driftwatch.scoring.text.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Segmentation: the sentence segmenter's step per token, and the word splitting done per sentence
 * (words, then content stems, which every lexical scorer starts from).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SegmentationBenchmark {

  private List<String> tokens;
  private List<String> sentences;
  private SentenceSegmenter segmenter;
  private long seq;
  private int sentence;

  @Setup
  public void setUp() {
    tokens = Workload.tokens(2000, 1);
    sentences = new ArrayList<>();
    SentenceSegmenter cutter = new SentenceSegmenter();
    for (int i = 0; i < tokens.size(); i++) {
      cutter.accept(i, tokens.get(i), Workload.T0, 64).map(Sentence::text).ifPresent(sentences::add);
    }
    segmenter = new SentenceSegmenter();
  }

  /** One token into the segmenter (the demo's text: a sentence ends about every 20 tokens). */
  @Benchmark
  public Optional<Sentence> segmenterTokenStep() {
    long s = seq++;
    return segmenter.accept(s, tokens.get((int) (s % tokens.size())), Workload.T0, 64);
  }

  /** One sentence split into words. */
  @Benchmark
  public List<String> sentenceWords() {
    return Words.of(nextSentence());
  }

  /** One sentence's content stems (words, stopwords out, stemmed). */
  @Benchmark
  public Set<String> sentenceContentStems() {
    return Words.contentStems(nextSentence());
  }

  private String nextSentence() {
    String s = sentences.get(sentence);
    sentence = (sentence + 1) % sentences.size();
    return s;
  }
}
