package io.driftwatch.streams.probe;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.text.TokenSplitter;
import io.driftwatch.scoring.radius.ProbeSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Assembles the sampled generations from the token events, in bounded memory: at most {@code maxOpen}
 * generations at once (the oldest is dropped, and counted, when another starts) and at most
 * {@code maxTokens} tokens each (the earliest go first: truncation keeps the latest context anyway).
 * Only generations whose start was seen are assembled; one joined halfway would lack its prompt and
 * earliest tokens, and its radius would be measured on a context that never existed.
 */
public final class SampledGenerations {

  /**
   * A sampled generation that ended.
   *
   * @param prompt the prompt, or null when it was left out because earlier tokens had to be dropped
   * @param tokens the generated tokens in sequence order (the latest {@code maxTokens})
   */
  public record Finished(String generationId, String runId, String model, String prompt, List<String> tokens, Instant endTime) {

    public Finished {
      tokens = List.copyOf(tokens);
    }

    /**
     * The probe's sample: the last {@code targetTokens} non-empty generated tokens are measured, the prompt
     * (split by {@code splitter}) and the generated prefix are the context. Empty when there is no more
     * context than {@code minContext}, the ladder's first rung, so nothing could be truncated.
     *
     * @param askedModel the model name to ask the endpoint for
     */
    public Optional<ProbeSample> sample(String askedModel, int targetTokens, int minContext, TokenSplitter splitter) {
      // Empty tokens (role-only stream chunks) carry no text: they would only make empty rungs.
      List<String> text = tokens.stream().filter(t -> t != null && !t.isEmpty()).toList();
      int n = text.size();
      int scored = Math.min(targetTokens, n);
      List<String> context = new ArrayList<>(prompt == null || prompt.isEmpty() ? List.of() : splitter.split(prompt));
      context.addAll(text.subList(0, n - scored));
      if (scored == 0 || context.size() <= minContext) {
        return Optional.empty();
      }
      return Optional.of(new ProbeSample(generationId, askedModel, context, text.subList(n - scored, n)));
    }
  }

  private static final class Open {
    final String runId;
    final String model;
    String prompt;
    boolean cut;
    final TreeMap<Long, String> tokens = new TreeMap<>();

    Open(String runId, String model, String prompt) {
      this.runId = runId;
      this.model = model;
      this.prompt = prompt;
    }
  }

  private final ProbeSampler sampler;
  private final int maxOpen;
  private final int maxTokens;
  private final Map<String, Open> open = new LinkedHashMap<>();
  private long evicted;
  private long truncated;

  public SampledGenerations(ProbeSampler sampler, int maxOpen, int maxTokens) {
    if (maxOpen < 1 || maxTokens < 1) {
      throw new IllegalArgumentException("at least one open generation and one token each, not " + maxOpen + " and " + maxTokens);
    }
    this.sampler = sampler;
    this.maxOpen = maxOpen;
    this.maxTokens = maxTokens;
  }

  /** Takes one event; returns the generation it ended, when it ended a sampled one. */
  public Optional<Finished> accept(GenerationEvent event) {
    String id = event.generationId();
    if (id == null || !sampler.sampled(id)) {
      return Optional.empty();
    }
    if (event instanceof GenerationEvent.Start s) {
      open.remove(id);
      open.put(id, new Open(s.runId(), s.model(), s.prompt()));
      if (open.size() > maxOpen) {
        Iterator<String> oldest = open.keySet().iterator();
        oldest.next();
        oldest.remove();
        evicted++;
      }
      return Optional.empty();
    }
    Open o = open.get(id);
    if (o == null) {
      return Optional.empty();
    }
    if (event instanceof GenerationEvent.Token t) {
      add(o, t);
    } else if (event instanceof GenerationEvent.Chunk c) {
      c.expand().forEach(t -> add(o, t));
    } else if (event instanceof GenerationEvent.End e) {
      open.remove(id);
      return Optional.of(new Finished(id, o.runId, o.model, o.prompt, new ArrayList<>(o.tokens.values()), e.eventTime()));
    }
    return Optional.empty();
  }

  private void add(Open o, GenerationEvent.Token t) {
    if (t.seq() == null || t.text() == null) {
      return;
    }
    o.tokens.put(t.seq(), t.text());
    if (o.tokens.size() > maxTokens) {
      o.tokens.pollFirstEntry();
      // The prompt no longer adjoins the kept tokens: leaving it in would invent a context.
      o.prompt = null;
      if (!o.cut) {
        o.cut = true;
        truncated++;
      }
    }
  }

  /** Generations being assembled now. */
  public int open() {
    return open.size();
  }

  /** Generations dropped unfinished because {@code maxOpen} others started after them. */
  public long evicted() {
    return evicted;
  }

  /** Generations that lost their earliest tokens (and their prompt) to the token cap. */
  public long truncated() {
    return truncated;
  }
}
