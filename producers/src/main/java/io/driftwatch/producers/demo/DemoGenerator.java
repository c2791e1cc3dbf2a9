package io.driftwatch.producers.demo;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.producers.sdk.GenerationInfo;
import io.driftwatch.producers.sdk.GenerationStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams labelled demo generations to Kafka the way a busy model server would: several generations at
 * once, each at a steady token rate, a new one starting as soon as one finishes. Scenarios take turns
 * (steady, topic drift, repetition loop) and models alternate, so every panel has something to show.
 *
 * <p>Deterministic for a given seed, apart from timing.
 */
public final class DemoGenerator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DemoGenerator.class);
  private static final long TICK_MILLIS = 20;
  /** Finish reason of generations still streaming when the demo stops. */
  public static final String CANCELLED = "cancelled";

  private final DriftwatchProducer producer;
  private final DemoCorpus corpus;
  private final DemoSettings settings;
  private final Random random;
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong tokensSent = new AtomicLong();
  private final Map<String, Scenario> scenarios = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public DemoGenerator(DriftwatchProducer producer, DemoCorpus corpus, DemoSettings settings) {
    this.producer = producer;
    this.corpus = corpus;
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.thread = new Thread(this::run, "driftwatch-demo-generator");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public long generationsStarted() {
    return started.get();
  }

  public long generationsFinished() {
    return finished.get();
  }

  public long tokensSent() {
    return tokensSent.get();
  }

  /** The scenario each generation played, by generation id: the labels to compare scores with. */
  public Map<String, Scenario> scenarios() {
    return Map.copyOf(scenarios);
  }

  /** One generation being played: its script, its stream and its clock. */
  private final class Playing {
    final Scenario.Script script;
    final GenerationStream stream;
    final long startNanos = System.nanoTime();
    final boolean chunked;
    int sent;

    Playing(long n) {
      Scenario scenario = Scenario.values()[(int) (n % Scenario.values().length)];
      script = scenario.script(corpus, random, settings.tokensPerGeneration());
      String model = settings.models().get((int) (n % settings.models().size()));
      GenerationInfo info = new GenerationInfo(settings.runId() + "-" + n, settings.runId(), model, script.prompt(),
          new GenerationEvent.Sampling(0.8, 0.95, null, settings.tokensPerGeneration(), settings.seed() + n),
          Map.of("scenario", scenario.label(), "source", script.source(), "producer", "driftwatch-demo"));
      // Every fourth generation sends chunks, as batching producers do, so both event shapes flow.
      chunked = n % 4 == 3;
      scenarios.put(info.generationId(), scenario);
      stream = producer.begin(info);
      started.incrementAndGet();
    }

    /** Sends the tokens due by now; returns whether the script is done. */
    boolean advance(long nowNanos) {
      long due = Math.min(script.tokens().size(), (long) ((nowNanos - startNanos) / 1e9 * settings.tokensPerSecond()) + 1);
      if (chunked && due > sent) {
        List<GenerationEvent.ChunkToken> chunk = new ArrayList<>();
        while (sent < due) {
          chunk.add(new GenerationEvent.ChunkToken(script.tokens().get(sent++), null, null, null));
        }
        stream.chunk(chunk);
        tokensSent.addAndGet(chunk.size());
      } else {
        while (sent < due) {
          stream.token(script.tokens().get(sent++));
          tokensSent.incrementAndGet();
        }
      }
      if (sent == script.tokens().size()) {
        stream.end("length");
        finished.incrementAndGet();
        return true;
      }
      return false;
    }
  }

  private void run() {
    List<Playing> slots = new ArrayList<>();
    long next = 0;
    try {
      while (running) {
        long now = System.nanoTime();
        for (int i = 0; i < settings.concurrency(); i++) {
          if (i == slots.size()) {
            slots.add(new Playing(next++));
          } else if (slots.get(i).advance(now)) {
            slots.set(i, new Playing(next++));
          }
        }
        Thread.sleep(TICK_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("demo generator stopped", e);
    } finally {
      for (Playing playing : slots) {
        playing.stream.end(CANCELLED);
        finished.incrementAndGet();
      }
      producer.flush();
    }
  }

  /** Stops generating, ends the generations still streaming with reason {@value #CANCELLED}, and flushes. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
