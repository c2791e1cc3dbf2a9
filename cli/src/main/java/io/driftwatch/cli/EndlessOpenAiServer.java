package io.driftwatch.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A stand-in OpenAI-compatible server for {@code driftwatch bench guard} and the guard's tests: streams
 * a chat completion token by token from the iterator it is given, which may never end, notes when each
 * token left, and notices when the client closes the connection. Bounded on its
 * own: it stops after {@code maxTokens} or {@code maxTime}, whichever comes first, and ends such a
 * stream with finish_reason length, so a guard that never stops it fails a test rather than hanging it.
 * Listens on loopback only; serves one stream at a time as far as its notes go.
 */
final class EndlessOpenAiServer implements AutoCloseable {

  private final HttpServer server;
  private final Supplier<Iterator<String>> tokens;
  private final long maxTokens;
  private final long maxNanos;
  private volatile long pauseMicros;
  private final AtomicLong sent = new AtomicLong();
  private volatile long[] sentAt = new long[0];
  private volatile String lastResponseId;
  private volatile CountDownLatch closedByClient = new CountDownLatch(1);
  private volatile CountDownLatch finished = new CountDownLatch(1);

  /**
   * @param tokens a fresh token sequence for each request
   * @param pauseMicros the pause between two tokens, as a model server streams them
   */
  EndlessOpenAiServer(Supplier<Iterator<String>> tokens, long maxTokens, java.time.Duration maxTime, long pauseMicros)
      throws IOException {
    this.tokens = tokens;
    this.maxTokens = maxTokens;
    this.maxNanos = maxTime.toNanos();
    this.pauseMicros = pauseMicros;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "endless-openai");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/chat/completions", this::stream);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The pause between two tokens of the next streams. */
  void pauseMicros(long micros) {
    pauseMicros = micros;
  }

  /** Forgets the last request's outcome: call before each request. */
  void reset() {
    sent.set(0);
    sentAt = new long[0];
    closedByClient = new CountDownLatch(1);
    finished = new CountDownLatch(1);
  }

  /** Whether the client (the tap) closed the connection mid-stream within {@code seconds}. */
  boolean awaitClosedByClient(long seconds) throws InterruptedException {
    return closedByClient.await(seconds, TimeUnit.SECONDS);
  }

  /** Whether the stream reached its own end ([DONE]) within {@code seconds}. */
  boolean awaitFinished(long seconds) throws InterruptedException {
    return finished.await(seconds, TimeUnit.SECONDS);
  }

  /** System.nanoTime() when each token of the last request was written, in order. */
  long[] sentAt() {
    return java.util.Arrays.copyOf(sentAt, (int) Math.min(sent.get(), sentAt.length));
  }

  /** The id of the last response: each gets its own, as a model server's do, so each is a generation of its own. */
  String lastResponseId() {
    return lastResponseId;
  }

  /** Tokens written to the connection for the last request. */
  long tokensSent() {
    return sent.get();
  }

  private void stream(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    CountDownLatch closed = closedByClient;
    CountDownLatch done = finished;
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    long started = System.nanoTime();
    Iterator<String> it = tokens.get();
    // Random, as hosted APIs make them: the tap keeps such an id as the generation's (docs/tap.md).
    String id = "chatcmpl-" + java.util.UUID.randomUUID().toString().replace("-", "");
    lastResponseId = id;
    try (OutputStream out = exchange.getResponseBody()) {
      write(out, chunk(id, "{\"role\":\"assistant\",\"content\":\"\"}", null));
      String finish = "stop";
      while (it.hasNext()) {
        if (sent.get() >= maxTokens || System.nanoTime() - started > maxNanos) {
          finish = "length";
          break;
        }
        ObjectNode delta = JsonNodeFactory.instance.objectNode().put("content", it.next());
        String event = chunk(id, delta.toString(), null);
        long n = sent.get();
        if (n >= sentAt.length) {
          sentAt = java.util.Arrays.copyOf(sentAt, (int) Math.max(1024, n * 2));
        }
        sentAt[(int) n] = System.nanoTime();
        write(out, event);
        sent.incrementAndGet();
        long pause = pauseMicros;
        if (pause > 0) {
          TimeUnit.MICROSECONDS.sleep(pause);
        }
      }
      write(out, chunk(id, "{}", finish));
      write(out, "data: [DONE]\n\n");
      done.countDown();
    } catch (IOException e) {
      closed.countDown(); // the peer went away mid-stream: what a cancelled request looks like to a model server
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  /** The tokens of one response: the list once, or, when {@code endless}, the list again and again. */
  static Iterator<String> cycling(List<String> list, boolean endless) {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return endless || i < list.size();
      }

      @Override
      public String next() {
        return list.get(i++ % list.size());
      }
    };
  }

  private static String chunk(String id, String delta, String finishReason) {
    return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764806400,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
  }

  private static void write(OutputStream out, String event) throws IOException {
    out.write(event.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
