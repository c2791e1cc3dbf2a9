package io.driftwatch.cli;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.replay.ArchiveReader;
import io.driftwatch.producers.replay.ArchivedGeneration;
import io.driftwatch.producers.replay.BadRow;
import io.driftwatch.producers.text.TokenSplitter;
import io.driftwatch.scoring.radius.ProbeSample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The generations {@code probe radius} probes, drawn from archives: a uniform sample (reservoir sampling,
 * seeded, so a rerun probes the same ones) of the served model's generations, each cut into the context
 * the ladder truncates (the prompt in the archive's tokens, then the generated prefix) and the last
 * generated tokens whose loss is measured. Event archives are assembled generation by generation.
 */
final class RadiusSamples implements ArchiveReader.Visitor {

  private final String model;
  private final int wanted;
  private final int targetTokens;
  private final int minContext;
  private final TokenSplitter splitter;
  private final Random random;
  private final List<Drawn> reservoir = new ArrayList<>();
  private final Map<String, Open> open = new HashMap<>();
  private final Map<String, Long> otherModels = new TreeMap<>();
  private long eligible;
  private long tooShort;
  private long badRows;

  private record Drawn(long order, ProbeSample sample) {}

  /** An event-archive generation being assembled. */
  private static final class Open {
    String prompt;
    String model;
    final TreeMap<Long, String> tokens = new TreeMap<>();
  }

  /**
   * @param model the served model: generations named otherwise are counted and left out; unnamed ones are taken to be it
   * @param minContext the ladder's first rung: a generation needs more context than that to be truncated at all
   */
  RadiusSamples(String model, int wanted, int targetTokens, int minContext, TokenSplitter splitter, long seed) {
    this.model = model;
    this.wanted = wanted;
    this.targetTokens = targetTokens;
    this.minContext = minContext;
    this.splitter = splitter;
    this.random = new Random(seed);
  }

  @Override
  public void event(GenerationEvent event) {
    String id = event.generationId();
    if (event instanceof GenerationEvent.Start s) {
      Open o = open.computeIfAbsent(id, k -> new Open());
      o.prompt = s.prompt();
      o.model = s.model();
    } else if (event instanceof GenerationEvent.Token t) {
      open.computeIfAbsent(id, k -> new Open()).tokens.put(t.seq(), t.text());
    } else if (event instanceof GenerationEvent.Chunk c) {
      c.expand().forEach(t -> open.computeIfAbsent(id, k -> new Open()).tokens.put(t.seq(), t.text()));
    } else {
      Open o = open.remove(id);
      if (o != null) {
        offer(id, o.prompt, o.model, new ArrayList<>(o.tokens.values()));
      }
    }
  }

  @Override
  public void generation(ArchivedGeneration g) {
    offer(g.source(), g.prompt(), g.model(), g.tokens());
  }

  @Override
  public void bad(BadRow row) {
    badRows++;
  }

  private void offer(String id, String prompt, String generationModel, List<String> allTokens) {
    // Empty tokens (role-only stream chunks) carry no text: they would only make empty rungs.
    List<String> tokens = allTokens.stream().filter(t -> t != null && !t.isEmpty()).toList();
    String m = generationModel == null || generationModel.isEmpty() ? model : generationModel;
    if (!m.equals(model)) {
      otherModels.merge(m, 1L, Long::sum);
      return;
    }
    int n = tokens.size();
    int scored = Math.min(targetTokens, n);
    List<String> context = new ArrayList<>(prompt == null || prompt.isEmpty() ? List.of() : splitter.split(prompt));
    context.addAll(tokens.subList(0, n - scored));
    List<String> target = tokens.subList(n - scored, n);
    if (scored == 0 || context.size() <= minContext || String.join("", target).isEmpty()) {
      tooShort++;
      return;
    }
    ProbeSample sample = new ProbeSample(id, m, context, target);
    long order = eligible++;
    if (reservoir.size() < wanted) {
      reservoir.add(new Drawn(order, sample));
    } else {
      long j = random.nextLong(order + 1);
      if (j < wanted) {
        reservoir.set((int) j, new Drawn(order, sample));
      }
    }
  }

  /** The drawn generations, in archive order. */
  List<ProbeSample> samples() {
    return reservoir.stream().sorted(Comparator.comparingLong(Drawn::order)).map(Drawn::sample).toList();
  }

  /** Generations of the served model long enough to probe. */
  long eligible() {
    return eligible;
  }

  long tooShort() {
    return tooShort;
  }

  long badRows() {
    return badRows;
  }

  /** Event-archive generations that never ended: left out, their text may be cut. */
  long unfinished() {
    return open.size();
  }

  /** Generations of other models, by model. */
  Map<String, Long> otherModels() {
    return otherModels;
  }
}
