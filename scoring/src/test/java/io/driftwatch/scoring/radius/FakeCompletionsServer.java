package io.driftwatch.scoring.radius;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible completions server whose models are {@link CharNgramModel}s of a chosen context
 * order (changeable while it runs): answers {@code echo: true, max_tokens: 0} requests with the true
 * logprob of every prompt character, as a model server echoes prompt logprobs. Counts the requests and
 * prompt tokens it receives, and can be told to fail the next requests, so tests can check what a
 * client really sent. Listens on loopback only.
 */
public final class FakeCompletionsServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final CharNgramModel model;
  private final Map<String, Integer> orders = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus;
  private volatile String failureBody = "";
  private final List<String> authorizations = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Long> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());

  public FakeCompletionsServer(CharNgramModel model) throws IOException {
    this.model = model;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "fake-completions");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/completions", this::complete);
    server.start();
  }

  /** The server's root, as a user would give it. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves (or re-serves) {@code name} as a model looking {@code order} characters back. */
  public void serve(String name, int order) {
    orders.put(name, order);
  }

  /** Answers the next {@code count} requests with {@code status} and {@code body} instead of logprobs. */
  public void failNext(int count, int status, String body) {
    failureStatus = status;
    failureBody = body;
    failuresLeft.set(count);
  }

  public long requests() {
    return requests.get();
  }

  /** Prompt tokens (characters) received, failed requests included. */
  public long promptTokens() {
    return promptTokens.get();
  }

  /** System.nanoTime() when each request arrived, in order. */
  public List<Long> arrivals() {
    return List.copyOf(arrivals);
  }

  /** The Authorization headers received, in order (null where there was none). */
  public List<String> authorizations() {
    synchronized (authorizations) {
      return java.util.Collections.unmodifiableList(new ArrayList<>(authorizations));
    }
  }

  private void complete(HttpExchange exchange) throws IOException {
    try (exchange) {
      arrivals.add(System.nanoTime());
      requests.incrementAndGet();
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      List<String> prompts = new ArrayList<>();
      JsonNode prompt = body.path("prompt");
      if (prompt.isArray()) {
        prompt.forEach(p -> prompts.add(p.asText()));
      } else {
        prompts.add(prompt.asText());
      }
      prompts.forEach(p -> promptTokens.addAndGet(p.codePointCount(0, p.length())));
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        send(exchange, failureStatus, failureBody);
        return;
      }
      Integer order = orders.get(body.path("model").asText());
      if (order == null) {
        send(exchange, 404, error("The model '" + body.path("model").asText() + "' does not exist"));
        return;
      }
      int maxTokens = body.path("max_tokens").asInt(-1);
      if (!body.path("echo").asBoolean(false) || maxTokens < 0 || maxTokens > 1 || body.path("logprobs").isMissingNode()) {
        send(exchange, 400, error("this server scores prompts: echo true, logprobs, max_tokens 0 or 1"));
        return;
      }
      ObjectNode out = JSON.createObjectNode().put("id", "cmpl-fake-" + requests.get()).put("object", "text_completion")
          .put("model", body.path("model").asText());
      ArrayNode choices = out.putArray("choices");
      for (int i = 0; i < prompts.size(); i++) {
        choices.add(choice(i, prompts.get(i), order, maxTokens == 1));
      }
      send(exchange, 200, out.toString());
    }
  }

  /** One prompt's echo; with {@code generateOne}, followed by one generated token, as servers that refuse max_tokens 0 answer. */
  private ObjectNode choice(int index, String prompt, int order, boolean generateOne) {
    int[] cps = prompt.codePoints().toArray();
    ObjectNode choice = JSON.createObjectNode().put("index", index).put("text", prompt).put("finish_reason", "length");
    ObjectNode logprobs = choice.putObject("logprobs");
    ArrayNode tokens = logprobs.putArray("tokens");
    ArrayNode values = logprobs.putArray("token_logprobs");
    ArrayNode offsets = logprobs.putArray("text_offset");
    for (int i = 0; i < cps.length; i++) {
      tokens.add(new String(cps, i, 1));
      if (i == 0) {
        values.addNull(); // as OpenAI-compatible servers do: the first token has no context to be scored in
      } else {
        values.add(model.logprob(cps, i, order));
      }
      offsets.add(i);
    }
    if (generateOne) {
      tokens.add("~");
      values.add(-50.0); // absurd on purpose: a client that counted it would be far off
      offsets.add(cps.length);
      choice.put("text", prompt + "~");
    }
    return choice;
  }

  private static String error(String message) {
    return JSON.createObjectNode().set("error", JSON.createObjectNode().put("message", message)).toString();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
