package io.driftwatch.producers.tap;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.EventSink;
import io.driftwatch.producers.sdk.GenerationInfo;
import io.driftwatch.producers.sdk.GenerationStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns what the parsers read from one response into generation events: one generation per choice
 * index, opened by the first sign of that choice, closed by its finish reason (or by
 * {@link #closeOpen} when the response ends without one). Not thread-safe; one per response.
 */
final class GenerationRecorder {

  /** The wire contract's limits on ids and model names. */
  private static final int MAX_ID_CHARS = 256;
  /** ":" and a choice index: what each choice appends to the response's part of its generation id. */
  private static final int MAX_CHOICE_SUFFIX_CHARS = 1 + 11;

  private final EventSink sink;
  private final TapMetrics metrics;
  private final TapContext context;
  private final CompletionRequest request;
  private final String path;
  private final boolean streamed;
  /** The guard of a guarded streamed response; null when unguarded. */
  private final ResponseGuard guard;
  private final Map<Integer, GenerationStream> open = new TreeMap<>();
  private final Set<Integer> closed = new HashSet<>();
  private String responseId;
  /** What each choice's generation id starts with, made at the first choice (see {@link GenerationIds}). */
  private String generationIdBase;
  private String responseModel;
  /** When a response that was not streamed arrived: the one event time of all its tokens. */
  private java.time.Instant arrivedWhole;

  GenerationRecorder(EventSink sink, TapMetrics metrics, TapContext context, CompletionRequest request, String path, boolean streamed) {
    this(sink, metrics, context, request, path, streamed, null);
  }

  GenerationRecorder(EventSink sink, TapMetrics metrics, TapContext context, CompletionRequest request, String path, boolean streamed,
      ResponseGuard guard) {
    this.guard = guard;
    this.sink = sink;
    this.metrics = metrics;
    this.context = context;
    this.request = request;
    this.path = path;
    this.streamed = streamed;
  }

  /** The response's id and model, from its first chunk that has them; later chunks repeat them. */
  void response(String id, String model) {
    if (responseId == null && id != null && !id.isBlank()) {
      responseId = id;
    }
    if (responseModel == null && model != null && !model.isBlank()) {
      responseModel = model;
    }
  }

  /** Publishes tokens of choice {@code index}, opening its generation first if this is its first sign. */
  void tokens(int index, List<TokenPiece> tokens) {
    GenerationStream g = stream(index);
    if (g == null) {
      return;
    }
    if (streamed) {
      for (TokenPiece t : tokens) {
        g.token(t.text(), null, t.logprob(), t.topLogprobs());
      }
      return;
    }
    // A response that was not streamed came whole: its tokens have no times of their own, and stamping
    // each when it is published would make up a speed of hundreds of thousands of tokens a second.
    // With one time for all of them the monitor computes no tokens_per_second for the generation.
    if (arrivedWhole == null) {
      arrivedWhole = sink.clock().instant();
    }
    for (TokenPiece t : tokens) {
      g.token(t.text(), null, t.logprob(), t.topLogprobs(), arrivedWhole);
    }
  }

  /** Closes choice {@code index} with the API's finish reason. */
  void finish(int index, String reason) {
    GenerationStream g = stream(index);
    if (g == null) {
      return;
    }
    g.end(reason == null || reason.isBlank() ? "unknown" : reason, dryRunGuard(g));
    open.remove(index);
    closed.add(index);
  }

  /** Closes every choice still open, e.g. with "disconnected" when the stream broke off. */
  void closeOpen(String reason) {
    for (GenerationStream g : open.values()) {
      g.end(reason, dryRunGuard(g));
    }
    closed.addAll(open.keySet());
    open.clear();
  }

  /**
   * Closes every choice still open because the guard stopped the stream: each ends with the guard's
   * finish reason, the tripping one with the decision. Returns the tripping generation's record of it.
   */
  GenerationEvent.Guard closeStopped(StopDecision decision, String finishReason) {
    GenerationEvent.Guard tripped = null;
    for (GenerationStream g : open.values()) {
      GenerationEvent.Guard record = null;
      if (g.generationId().equals(decision.generationId())) {
        Integer maxTokens = request.sampling() == null ? null : request.sampling().maxTokens();
        Long left = maxTokens == null ? null : Math.max(0L, maxTokens - g.tokens());
        record = new GenerationEvent.Guard(decision.rule(), decision.path(), GenerationEvent.Guard.STOPPED, decision.seq(),
            tokensAfter(g, decision), left);
        tripped = record;
      }
      g.end(finishReason, record);
    }
    closed.addAll(open.keySet());
    open.clear();
    return tripped;
  }

  /** Whether the generation of this id is one of this response's choices still open. */
  boolean isOpen(String generationId) {
    for (GenerationStream g : open.values()) {
      if (g.generationId().equals(generationId)) {
        return true;
      }
    }
    return false;
  }

  /** The choices still open, in index order: those a stopped stream must close for the client. */
  List<Integer> openChoices() {
    return List.copyOf(open.keySet());
  }

  String responseId() {
    return responseId;
  }

  String responseModel() {
    return responseModel != null ? responseModel : request.model() != null ? request.model() : "unknown";
  }

  /**
   * The decision about a generation that ends on its own: in a dry run, what would have stopped it;
   * otherwise a rule that tripped in the very piece of the stream that also ended it, too late to stop.
   */
  private GenerationEvent.Guard dryRunGuard(GenerationStream g) {
    StopDecision d = guard == null ? null : guard.decisionFor(g.generationId());
    if (d == null) {
      return null;
    }
    String action = guard.settings().dryRun() ? GenerationEvent.Guard.DRY_RUN : GenerationEvent.Guard.ENDED_FIRST;
    long after = tokensAfter(g, d);
    metrics.guardTrip(d, action, after);
    return new GenerationEvent.Guard(d.rule(), d.path(), action, d.seq(), after, null);
  }

  private static long tokensAfter(GenerationStream g, StopDecision d) {
    return Math.max(0, g.tokens() - 1 - d.seq());
  }

  private GenerationStream stream(int index) {
    if (closed.contains(index)) {
      return null; // a chunk after the choice finished: nothing the contract could carry
    }
    GenerationStream g = open.get(index);
    if (g == null) {
      g = sink.begin(info(index));
      open.put(index, g);
      metrics.generation(request.endpoint(), streamed);
    }
    return g;
  }

  private GenerationInfo info(int index) {
    if (generationIdBase == null) {
      generationIdBase = GenerationIds.base(responseId, MAX_ID_CHARS - MAX_CHOICE_SUFFIX_CHARS);
    }
    String id = generationIdBase + ":" + index;
    // The response names the exact model that answered (a dated snapshot); the request's name is kept too.
    String model = responseModel != null ? responseModel : request.model() != null ? request.model() : "unknown";
    Map<String, String> attributes = new HashMap<>(context.attributes());
    attributes.put("path", path);
    attributes.put("endpoint", request.endpoint().label());
    attributes.put("stream", String.valueOf(streamed));
    if (request.model() != null && !request.model().equals(model)) {
      attributes.put("request_model", request.model());
    }
    if (responseId != null && !generationIdBase.equals(responseId)) {
      attributes.put("response_id", truncate(responseId));
    }
    return new GenerationInfo(id, context.runId(), truncate(model), request.promptFor(index), request.sampling(), attributes);
  }

  private static String truncate(String s) {
    return s.length() > MAX_ID_CHARS ? s.substring(0, MAX_ID_CHARS) : s;
  }
}
