package io.driftwatch.benchmarks;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.InvalidEventException;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.producers.demo.Scenario;
import io.driftwatch.scoring.engine.ScoringEngine;
import io.driftwatch.scoring.engine.ScoringSettings;
import io.driftwatch.scoring.offline.InMemoryGenerationStore;
import java.util.ArrayList;
import java.util.List;
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

/** JSON decoding (and encoding) of one wire event, as the monitor's decode step does for every record. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventCodecBenchmark {

  private byte[] token;
  private byte[] start;
  private byte[] chunk;
  private GenerationEvent tokenEvent;
  private ScoreRecord sentenceRecord;

  @Setup
  public void setUp() {
    List<GenerationEvent> events = Workload.generation("0f8c1a52-gen-000042", Scenario.STEADY, 40, 4);
    tokenEvent = events.get(10);
    token = EventCodec.encode(tokenEvent);
    start = EventCodec.encode(events.get(0));
    chunk = EventCodec.encode(io.driftwatch.benchmarks.pipeline.BenchWorkload.chunked(events, 16).get(1));
    ScoringEngine engine = new ScoringEngine(ScoringSettings.DEFAULTS);
    InMemoryGenerationStore store = InMemoryGenerationStore.live();
    List<ScoreRecord> records = new ArrayList<>();
    events.forEach(e -> records.addAll(engine.process(e, store).scores()));
    sentenceRecord = records.stream().filter(r -> ScoreRecord.SENTENCE.equals(r.kind())).reduce((a, b) -> b).orElseThrow();
  }

  /** A token event (about 170 bytes of JSON): decoded and validated. */
  @Benchmark
  public GenerationEvent decodeToken() throws InvalidEventException {
    return EventCodec.decode(token);
  }

  /** A start event with its prompt. */
  @Benchmark
  public GenerationEvent decodeStart() throws InvalidEventException {
    return EventCodec.decode(start);
  }

  /** A chunk of 16 tokens, as the tap and the SDK send them by default. */
  @Benchmark
  public GenerationEvent decodeChunk() throws InvalidEventException {
    return EventCodec.decode(chunk);
  }

  @Benchmark
  public byte[] encodeToken() {
    return EventCodec.encode(tokenEvent);
  }

  /** A sentence's score record (lexical scores), as the monitor writes one for every sentence. */
  @Benchmark
  public byte[] encodeScoreRecord() {
    return EventCodec.toJson(sentenceRecord);
  }
}
