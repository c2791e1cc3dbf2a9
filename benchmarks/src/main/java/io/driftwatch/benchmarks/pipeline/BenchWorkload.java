package io.driftwatch.benchmarks.pipeline;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The labelled workload of the benchmarks: demo scenarios, one event per token, interleaved. */
public final class BenchWorkload {

  private BenchWorkload() {}

  /**
   * Events of {@code generations} generations of {@code tokens} tokens, cycling through the scenarios,
   * interleaved as concurrent generations arrive on a topic. Event times start at {@code t0}, 25 ms apart.
   */
  public static List<GenerationEvent> events(int generations, int tokens, long seed, Instant t0, String idPrefix) {
    DemoCorpus corpus = DemoCorpus.load();
    Random random = new Random(seed);
    List<List<GenerationEvent>> perGeneration = new ArrayList<>();
    Scenario[] scenarios = Scenario.values();
    for (int g = 0; g < generations; g++) {
      Scenario scenario = scenarios[g % scenarios.length];
      Scenario.Script script = scenario.script(corpus, random, tokens);
      String id = idPrefix + g;
      List<GenerationEvent> events = new ArrayList<>();
      events.add(new GenerationEvent.Start(1, id, "bench", "bench-model", script.prompt(), null, Map.of("scenario", scenario.label()), t0));
      for (int i = 0; i < script.tokens().size(); i++) {
        events.add(new GenerationEvent.Token(1, id, (long) i, script.tokens().get(i), null, null, null, t0.plusMillis(25L * (i + 1))));
      }
      events.add(new GenerationEvent.End(1, id, "length", t0.plusMillis(25L * (tokens + 1))));
      perGeneration.add(events);
    }
    List<GenerationEvent> out = new ArrayList<>();
    for (int i = 0; ; i++) {
      boolean any = false;
      for (List<GenerationEvent> events : perGeneration) {
        if (i < events.size()) {
          out.add(events.get(i));
          any = true;
        }
      }
      if (!any) {
        return out;
      }
    }
  }

  /**
   * The same events with each generation's tokens in chunks of {@code tokensPerChunk} (fewer where its
   * tokens run out), each token keeping its own time, as the SDK's coalescing publisher sends them. A
   * chunk takes the place of its last token, and every other event first sends its generation's
   * gathered tokens, so each generation's order is kept.
   */
  public static List<GenerationEvent> chunked(List<GenerationEvent> events, int tokensPerChunk) {
    List<GenerationEvent> out = new ArrayList<>();
    Map<String, List<GenerationEvent.Token>> gathered = new java.util.LinkedHashMap<>();
    for (GenerationEvent e : events) {
      if (e instanceof GenerationEvent.Token t) {
        List<GenerationEvent.Token> chunk = gathered.computeIfAbsent(t.generationId(), k -> new ArrayList<>());
        chunk.add(t);
        if (chunk.size() == tokensPerChunk) {
          out.add(chunk(gathered.remove(t.generationId())));
        }
      } else {
        List<GenerationEvent.Token> chunk = gathered.remove(e.generationId());
        if (chunk != null) {
          out.add(chunk(chunk));
        }
        out.add(e);
      }
    }
    gathered.values().forEach(chunk -> out.add(chunk(chunk)));
    return out;
  }

  private static GenerationEvent chunk(List<GenerationEvent.Token> tokens) {
    GenerationEvent.Token first = tokens.get(0);
    List<GenerationEvent.ChunkToken> inChunk = new ArrayList<>(tokens.size());
    for (GenerationEvent.Token t : tokens) {
      long offset = java.time.Duration.between(first.eventTime(), t.eventTime()).toNanos();
      inChunk.add(new GenerationEvent.ChunkToken(t.text(), t.tokenId(), t.logprob(), t.topLogprobs(), offset == 0 ? null : offset));
    }
    return new GenerationEvent.Chunk(first.v(), first.generationId(), first.seq(), inChunk, first.eventTime());
  }

  /**
   * The raw model baseline: embeds the texts straight through the model in chunks of {@code batch},
   * one sentence per forward pass or, with {@code padded}, in padded batches.
   */
  public static void embedInBatches(io.driftwatch.embeddings.SentenceEmbedder embedder, List<String> texts, int batch, boolean padded) {
    for (int from = 0; from < texts.size(); from += batch) {
      List<String> chunk = texts.subList(from, Math.min(texts.size(), from + batch));
      float[][] v = padded ? embedder.embedPaddedForBenchmark(chunk) : embedder.embed(chunk);
      if (v.length != chunk.size()) {
        throw new IllegalStateException("model returned " + v.length + " embeddings for " + chunk.size());
      }
    }
  }
}
