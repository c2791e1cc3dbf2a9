package io.driftwatch.streams.probe;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.InvalidEventException;
import io.driftwatch.contract.RadiusRecord;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.text.TokenSplitter;
import io.driftwatch.scoring.radius.BudgetExhaustedException;
import io.driftwatch.scoring.radius.CompletionsClient;
import io.driftwatch.scoring.radius.ContextLadder;
import io.driftwatch.scoring.radius.GenerationRadius;
import io.driftwatch.scoring.radius.ProbeCounters;
import io.driftwatch.scoring.radius.ProbeException;
import io.driftwatch.scoring.radius.ProbeSample;
import io.driftwatch.scoring.radius.RadiusByModel;
import io.driftwatch.scoring.radius.RadiusProbe;
import io.driftwatch.scoring.radius.RequestPacer;
import io.driftwatch.streams.metrics.RadiusProbeMetrics;
import io.driftwatch.streams.metrics.RadiusProbeMetrics.Outcome;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live radius probe: beside the monitor, never inside it. Its own consumer (its own group, so
 * instances share the partitions) reads the tokens topic, assembles the sampled generations in bounded
 * memory, and hands each finished one to a single probing thread with a bounded queue; the radius goes
 * to the radius topic and to Prometheus. Nothing here runs on a stream thread or waits for one, so a
 * slow or dead completions endpoint costs probe records, never scores.
 */
public final class LiveRadiusProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LiveRadiusProbe.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final LiveProbeSettings settings;
  private final RadiusProbeMetrics metrics;
  private final String radiusTopic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final SampledGenerations assembly;
  private final ThreadPoolExecutor probes;
  private final HttpClient http;
  private final RequestPacer pacer;
  private final HourlyTokenBudget budget;
  private final RadiusProbe.Settings probeSettings;
  private final RadiusView view;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private final Thread reader;
  private volatile boolean running = true;

  private LiveRadiusProbe(LiveProbeSettings settings, Topics topics, Map<String, Object> clientConfig, String groupId,
      RadiusProbeMetrics metrics, RadiusView view) {
    this.settings = settings;
    this.metrics = metrics;
    this.radiusTopic = topics.radius();
    this.probeSettings = new RadiusProbe.Settings(new ContextLadder(settings.minContext()), settings.batch(), settings.tolerance());
    this.view = view;
    this.assembly = new SampledGenerations(new ProbeSampler(settings.rate()), settings.maxOpen(), settings.maxTokensPerGeneration());
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.pacer = RequestPacer.realTime(settings.requestsPerSecond());
    this.budget = new HourlyTokenBudget(settings.tokenBudgetPerHour(), System::currentTimeMillis);
    // One probing thread: the pacer serialises requests anyway, and a bounded queue sheds generations
    // (counted) instead of piling them up while the endpoint is slow.
    this.probes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(settings.queue()), r -> {
      Thread t = new Thread(r, "driftwatch-radius-probe");
      t.setDaemon(true);
      return t;
    });

    Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    // Live traffic only: a new probe does not work through the topic's history.
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> producerConfig = new HashMap<>(clientConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    consumer.subscribe(List.of(topics.tokens()), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // Resolves "latest" now, so that events produced after start returns are read.
        partitions.forEach(consumer::position);
        assigned.countDown();
      }

      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
    });
    this.reader = new Thread(this::read, "driftwatch-radius-reader");
    reader.setDaemon(true);
  }

  /**
   * Starts the probe and waits up to {@code assignTimeout} for its consumer to be given partitions; a
   * probe that gets none in time still runs and reads once it does.
   *
   * @param clientConfig bootstrap servers and any client properties the monitor's clients use
   * @param groupId the probe's consumer group: instances with the same one share the tokens topic's partitions
   * @param view where the web view finds what this instance probed ({@link #newView})
   */
  public static LiveRadiusProbe start(LiveProbeSettings settings, Topics topics, Map<String, Object> clientConfig, String groupId,
      RadiusProbeMetrics metrics, RadiusView view, Duration assignTimeout) throws InterruptedException {
    LiveRadiusProbe probe = new LiveRadiusProbe(settings, topics, clientConfig, groupId, metrics, view);
    probe.reader.start();
    if (!probe.assigned.await(assignTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("the radius probe's consumer got no partition of {} within {} s; it probes once it does", topics.tokens(),
          assignTimeout.toSeconds());
    }
    log.info("radius probe running: {} of generations to {}, at most {} requests/s and {} tokens/hour", settings.rate(),
        settings.endpoint(), settings.requestsPerSecond(), settings.tokenBudgetPerHour());
    return probe;
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          GenerationEvent event;
          try {
            event = EventCodec.decode(record.value());
          } catch (InvalidEventException e) {
            // The monitor dead-letters it; the probe has nothing to measure in it.
            continue;
          }
          assembly.accept(event).ifPresent(this::submit);
        }
      }
    } catch (WakeupException e) {
      // close() asked the poll to stop.
    } catch (RuntimeException e) {
      log.error("the radius probe's reader stopped; scoring goes on without radius records", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void submit(SampledGenerations.Finished finished) {
    if (settings.model() != null && finished.model() != null && !settings.model().equals(finished.model())) {
      return;
    }
    String asked = settings.model() != null ? settings.model() : finished.model();
    Optional<ProbeSample> sample = asked == null || asked.isBlank() ? Optional.empty()
        : finished.sample(asked, settings.targetTokens(), settings.minContext(), TokenSplitter.SIMPLE);
    if (sample.isEmpty()) {
      metrics.outcome(asked, Outcome.TOO_SHORT);
      return;
    }
    try {
      probes.execute(() -> probe(finished, sample.get()));
    } catch (RejectedExecutionException e) {
      if (running) {
        metrics.outcome(asked, Outcome.QUEUE_FULL);
      }
    }
  }

  private void probe(SampledGenerations.Finished finished, ProbeSample sample) {
    String model = sample.model();
    ProbeCounters counters = new ProbeCounters();
    try {
      CompletionsClient client = new CompletionsClient(new CompletionsClient.Settings(settings.endpoint(), model, settings.apiKey(),
          settings.attempts(), settings.firstBackoff(), settings.timeout(), settings.maxTokens()), http, pacer,
          nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)), budget.current(), counters);
      GenerationRadius result = new RadiusProbe(probeSettings, client).probe(sample);
      RadiusRecord record = record(finished, result);
      producer.send(new ProducerRecord<>(radiusTopic, finished.generationId(), EventCodec.toJson(record)),
          (metadata, e) -> {
            if (e != null) {
              log.warn("cannot write the radius of generation {} to {}: {}", finished.generationId(), radiusTopic, e.toString());
            }
          });
      metrics.outcome(model, Outcome.PROBED);
      metrics.generationRadius(model, result.radius());
      metrics.modelRadius(model, view.add(result, record));
    } catch (BudgetExhaustedException e) {
      metrics.outcome(model, Outcome.BUDGET);
    } catch (ProbeException e) {
      metrics.outcome(model, Outcome.FAILED);
      log.debug("probing generation {} failed: {}", finished.generationId(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      metrics.outcome(model, Outcome.FAILED);
      log.warn("probing generation {} failed", finished.generationId(), e);
    } finally {
      metrics.cost(model, counters.requests(), counters.tokensSent(), counters.failedAttempts());
    }
  }

  private RadiusRecord record(SampledGenerations.Finished finished, GenerationRadius result) {
    var fit = result.fit() == null ? null
        : new RadiusRecord.Fit(result.fit().floor(), result.fit().scale(), result.fit().exponent(), result.fit().rSquared());
    return new RadiusRecord(GenerationEvent.SCHEMA_VERSION, finished.generationId(), finished.runId(), result.model(),
        result.curve().contexts(), result.curve().nll(), result.curve().reference(), result.radius(), settings.tolerance(), fit,
        result.targetTokens(), finished.endTime());
  }

  /** A model's radius over its latest probed generations; empty before any was probed. */
  public Optional<RadiusByModel.ModelRadius> modelRadius(String model) {
    return view.model(model);
  }

  /** The view a probe with these settings fills: the per-model window, and the latest 1,000 generations' records. */
  public static RadiusView newView(LiveProbeSettings settings) {
    return new RadiusView(settings.window(), settings.tolerance(), 1_000);
  }

  /** Stops reading, abandons queued generations, interrupts the one being probed and flushes what was measured. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      reader.join(10_000);
      probes.shutdownNow();
      if (!probes.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the radius probe did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
