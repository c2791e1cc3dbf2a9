package io.driftwatch.scoring.radius;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks an OpenAI-compatible completions endpoint for the logprobs of prompt tokens: {@code echo: true,
 * logprobs: 1, max_tokens: 0} with several prompts per request, and reads each prompt's target loss
 * from {@code logprobs.text_offset} and {@code token_logprobs}. Selecting tokens by character offset
 * rather than by count keeps the result independent of how the server tokenizes the context.
 *
 * <p>Connection errors, timeouts, 429 and 5xx are retried with exponential backoff (a 429's
 * Retry-After is honoured when longer); other answers fail at once, since repeating them cannot help.
 * The API key goes into the Authorization header only and never into a message.
 */
public final class CompletionsClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODY_IN_MESSAGE = 300;
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

  /**
   * @param endpoint the server's root ({@code http://gpu-box:8000}) or its {@code /v1}
   * @param apiKey sent as a bearer token; null for servers without authentication
   * @param maxAttempts attempts per request, the first included
   * @param firstBackoff the wait before the first retry; each further retry waits twice as long
   * @param maxTokens tokens to generate after each prompt: 0, or 1 for servers that refuse 0 (the
   *     generated token is not counted)
   */
  public record Settings(URI endpoint, String model, String apiKey, int maxAttempts, Duration firstBackoff, Duration timeout,
      int maxTokens) {

    public Settings(URI endpoint, String model, String apiKey, int maxAttempts, Duration firstBackoff, Duration timeout) {
      this(endpoint, model, apiKey, maxAttempts, firstBackoff, timeout, 0);
    }

    public Settings {
      if (maxTokens != 0 && maxTokens != 1) {
        throw new IllegalArgumentException("max tokens must be 0, or 1 for servers that refuse 0, not " + maxTokens);
      }
      String scheme = endpoint.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("the endpoint must be an http:// or https:// URL, not " + endpoint);
      }
      if (endpoint.getUserInfo() != null || endpoint.getQuery() != null) {
        throw new IllegalArgumentException("the endpoint must carry no credentials or query; pass the API key separately");
      }
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("a model name is required");
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("at least one attempt per request, not " + maxAttempts);
      }
    }

    /** The completions URL: {@code /v1/completions} below the root, or {@code /completions} below a {@code /v1}. */
    public URI completionsUri() {
      String base = endpoint.toString().replaceAll("/+$", "");
      return URI.create(base.endsWith("/v1") ? base + "/completions" : base + "/v1/completions");
    }

    @Override
    public String toString() {
      // Records print every component; the key must not reach a log through this.
      return "Settings[endpoint=" + endpoint + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "set")
          + ", maxAttempts=" + maxAttempts + ", firstBackoff=" + firstBackoff + ", timeout=" + timeout + ", maxTokens=" + maxTokens + "]";
    }
  }

  private final Settings settings;
  private final HttpClient http;
  private final RequestPacer pacer;
  private final RequestPacer.Sleeper sleeper;
  private final TokenBudget budget;
  private final ProbeCounters counters;

  public CompletionsClient(Settings settings, HttpClient http, RequestPacer pacer, RequestPacer.Sleeper sleeper,
      TokenBudget budget, ProbeCounters counters) {
    this.settings = settings;
    this.http = http;
    this.pacer = pacer;
    this.sleeper = sleeper;
    this.budget = budget;
    this.counters = counters;
  }

  public ProbeCounters counters() {
    return counters;
  }

  public TokenBudget budget() {
    return budget;
  }

  /** The scored part's losses for each prompt, in order; one request (plus retries) for all of them. */
  public List<EchoedTarget> score(List<ProbeSample.Prompt> prompts) throws ProbeException, InterruptedException {
    if (prompts.isEmpty()) {
      return List.of();
    }
    int tokens = prompts.stream().mapToInt(ProbeSample.Prompt::tokens).sum();
    HttpRequest request = request(prompts);
    String lastProblem = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      budget.reserve(tokens);
      if (attempt > 1) {
        counters.retries.incrementAndGet();
      }
      pacer.await();
      counters.requests.incrementAndGet();
      counters.tokensSent.addAndGet(tokens);
      long waitNanos = settings.firstBackoff().toNanos() << Math.min(attempt - 1, 20);
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return parse(response.body(), prompts);
        }
        counters.failedAttempts.incrementAndGet();
        lastProblem = "HTTP " + status + ": " + excerpt(response.body());
        if (status != 429 && status / 100 != 5) {
          throw new ProbeException(settings.completionsUri() + " refused the request, " + lastProblem);
        }
        waitNanos = Math.max(waitNanos, retryAfterNanos(response));
      } catch (IOException e) {
        counters.failedAttempts.incrementAndGet();
        lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + redact(e.getMessage()));
      }
      if (attempt < settings.maxAttempts()) {
        sleeper.sleepNanos(waitNanos);
      }
    }
    throw new ProbeException(settings.completionsUri() + " failed " + settings.maxAttempts() + " times, last: " + lastProblem);
  }

  private HttpRequest request(List<ProbeSample.Prompt> prompts) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", settings.model());
    ArrayNode texts = body.putArray("prompt");
    prompts.forEach(p -> texts.add(p.text()));
    body.put("max_tokens", settings.maxTokens());
    body.put("echo", true);
    body.put("logprobs", 1);
    body.put("temperature", 0);
    HttpRequest.Builder b = HttpRequest.newBuilder(settings.completionsUri())
        .timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (settings.apiKey() != null) {
      b.header("Authorization", "Bearer " + settings.apiKey());
    }
    return b.build();
  }

  private List<EchoedTarget> parse(String body, List<ProbeSample.Prompt> prompts) throws ProbeException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new ProbeException("the server's answer is not JSON: " + excerpt(body));
    }
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.size() != prompts.size()) {
      throw new ProbeException("the server answered " + (choices.isArray() ? choices.size() : "no") + " choices for "
          + prompts.size() + " prompts; it must return one per prompt (n=1)");
    }
    EchoedTarget[] out = new EchoedTarget[prompts.size()];
    for (int c = 0; c < choices.size(); c++) {
      JsonNode choice = choices.get(c);
      int index = choice.path("index").asInt(c);
      if (index < 0 || index >= out.length || out[index] != null) {
        throw new ProbeException("the server's choice indexes are not one per prompt (index " + index + ")");
      }
      out[index] = echoed(choice.path("logprobs"), prompts.get(index));
    }
    return List.of(out);
  }

  private static EchoedTarget echoed(JsonNode logprobs, ProbeSample.Prompt prompt) throws ProbeException {
    JsonNode offsets = logprobs.path("text_offset");
    JsonNode values = logprobs.path("token_logprobs");
    if (!offsets.isArray() || !values.isArray() || offsets.size() != values.size()) {
      throw new ProbeException("the server returned no logprobs.text_offset and token_logprobs for the prompt: "
          + "it must support echo with logprobs on the completions API");
    }
    int promptLength = prompt.text().codePointCount(0, prompt.text().length());
    List<Integer> at = new ArrayList<>();
    List<Double> nll = new ArrayList<>();
    for (int i = 0; i < offsets.size(); i++) {
      int offset = offsets.get(i).asInt();
      // Tokens before the target are context; tokens from the prompt's end on were generated, not echoed.
      if (offset < prompt.targetStart() || offset >= promptLength) {
        continue;
      }
      JsonNode v = values.get(i);
      if (!v.isNumber()) {
        throw new ProbeException("the server gave no logprob for the prompt token at offset " + offset);
      }
      at.add(offset - prompt.targetStart());
      nll.add(-v.asDouble());
    }
    if (at.isEmpty()) {
      throw new ProbeException("no token of the server's echo starts inside the probed text (offsets "
          + prompt.targetStart() + " to " + promptLength + ")");
    }
    return new EchoedTarget(at, nll);
  }

  private static long retryAfterNanos(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(v -> {
      try {
        long s = Long.parseLong(v.trim());
        return Math.min(Duration.ofSeconds(Math.max(0, s)).toNanos(), MAX_RETRY_AFTER.toNanos());
      } catch (NumberFormatException e) {
        return 0L; // an HTTP date: rare from model servers; the backoff stands
      }
    }).orElse(0L);
  }

  private String excerpt(String body) {
    String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return redact(b.length() > BODY_IN_MESSAGE ? b.substring(0, BODY_IN_MESSAGE) + "..." : b);
  }

  /** Removes the API key from text that came back from the network, in case a server echoes headers. */
  private String redact(String text) {
    String key = settings.apiKey();
    return key == null || key.isEmpty() ? text : text.replace(key, "<api key>");
  }
}
