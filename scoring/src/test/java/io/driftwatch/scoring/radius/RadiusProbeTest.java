package io.driftwatch.scoring.radius;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.producers.calibration.Books;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probe against a served model of known context order: a character n-gram model over four
 * bundled novels, probed on passages of the same novels over real HTTP.
 */
class RadiusProbeTest {

  private static final List<String> BOOKS = List.of("pride_and_prejudice", "emma", "sense_and_sensibility", "mansfield_park");
  private static final int CONTEXT = 128;
  private static final int TARGET = 16;
  private static final double TOLERANCE = 0.05;

  private static String corpus;
  private static FakeCompletionsServer server;

  @BeforeAll
  static void start() throws Exception {
    corpus = String.join("\n\n", BOOKS.stream().map(Books::body).toList());
    server = new FakeCompletionsServer(new CharNgramModel(corpus));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 4, 8, 32})
  void recoversTheContextOrderWithinOneLadderStep(int order) throws Exception {
    String model = "order-" + order;
    server.serve(model, order);
    RadiusByModel byModel = new RadiusByModel(1000, TOLERANCE);
    RadiusProbe probe = probe(model, Long.MAX_VALUE, new ProbeCounters());
    RadiusProbe.Summary summary = probe.probeAll(samples(model, 24, order), listener(byModel));

    assertThat(summary.probed()).isEqualTo(24);
    int radius = byModel.model(model).radius();
    // The margins docs/radius.md quotes: the excess at each rung, against the tolerance.
    LossCurve shown = byModel.model(model).curve();
    for (int i = 0; i < shown.contexts().size() - 1; i++) {
      System.out.printf(java.util.Locale.ROOT, "order %d: context %d excess %.4f nats/token%n", order, shown.contexts().get(i), shown.excess(i));
    }
    // The model ignores everything beyond `order`, so the radius cannot be above it; at half of it
    // every measured token saw less than `order`, so the radius cannot be below it either.
    assertThat(radius).isEqualTo(order);
    LossCurve curve = byModel.model(model).curve();
    assertThat(curve.contextGain()).isGreaterThan(TOLERANCE);
  }

  @Test
  void aModelWhoseOrderChangesMidRunShowsTheChangeInItsRadius() throws Exception {
    String model = "redeployed";
    server.serve(model, 4);
    RadiusByModel byModel = new RadiusByModel(16, TOLERANCE);
    List<Integer> radii = new ArrayList<>();
    List<ProbeSample> samples = samples(model, 48, 99);
    RadiusProbe probe = probe(model, Long.MAX_VALUE, new ProbeCounters());
    probe.probeAll(samples, new RadiusProbe.Listener() {
      int seen;

      @Override
      public void probed(GenerationRadius result) {
        byModel.add(result);
        seen++;
        if (seen % 16 == 0) {
          radii.add(byModel.model(model).radius());
        }
        if (seen == 16) {
          server.serve(model, 32); // a new deployment with a longer reach, mid-run
        }
      }

      @Override
      public void failed(ProbeSample sample, String reason) {
        throw new AssertionError(reason);
      }
    });
    assertThat(radii).containsExactly(4, 32, 32);
  }

  @Test
  void neverSendsMoreTokensThanTheBudgetAndCountsWhatItSent() throws Exception {
    String model = "budgeted";
    server.serve(model, 8);
    List<ProbeSample> samples = samples(model, 10, 8);
    ProbeCounters counters = new ProbeCounters();
    RadiusProbe probe = probe(model, 0, counters); // only for its cost
    long perSample = probe.cost(samples.get(0));
    long budget = perSample * 3 + perSample / 2;
    long requestsBefore = server.requests();
    long tokensBefore = server.promptTokens();

    RadiusProbe budgeted = probe(model, budget, counters, nanos -> {}, 50);
    RadiusProbe.Summary summary = budgeted.probeAll(samples, listener(new RadiusByModel(10, TOLERANCE)));

    assertThat(summary).isEqualTo(new RadiusProbe.Summary(3, 0, 7, true));
    long tokens = server.promptTokens() - tokensBefore;
    assertThat(tokens).isEqualTo(counters.tokensSent()).isEqualTo(perSample * 3).isLessThanOrEqualTo(budget);
    // Rungs 1, 2, 4, 8, 16 (scoring 1, 2, 4, 8, 16 tokens), 32 and 64 (16 each), full 128 (16).
    assertThat(perSample).isEqualTo((1 + 1) + (2 + 2) + (4 + 4) + (8 + 8) + (16 + 16) + (32 + 16) + (64 + 16) + (128 + 16));
    // Ladder 1, 2, ..., 64 and the full 128: 8 prompts, in batches of 3.
    assertThat(server.requests() - requestsBefore).isEqualTo(counters.requests()).isEqualTo(3 * 3);
    // 50 requests/s: nine request starts span at least eight intervals of 20 ms at the client; at the
    // server, the first arrival may lag by up to one interval.
    List<Long> arrivals = server.arrivals().subList((int) requestsBefore, (int) server.requests());
    assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(0)).isGreaterThanOrEqualTo(7 * Duration.ofMillis(20).toNanos());
  }

  @Test
  void retriesServerErrorsWithBackoffAndCountsThem() throws Exception {
    String model = "flaky";
    server.serve(model, 4);
    ProbeCounters counters = new ProbeCounters();
    List<Long> sleeps = new ArrayList<>();
    RadiusProbe probe = probe(model, Long.MAX_VALUE, counters, sleeps::add);
    server.failNext(2, 503, "{\"error\":{\"message\":\"overloaded\"}}");

    RadiusProbe.Summary summary = probe.probeAll(samples(model, 1, 4), listener(new RadiusByModel(10, TOLERANCE)));

    assertThat(summary.probed()).isEqualTo(1);
    assertThat(counters.retries()).isEqualTo(2);
    assertThat(counters.failedAttempts()).isEqualTo(2);
    assertThat(counters.requests()).isEqualTo(3 + 2); // three batches, two of the attempts repeated
    assertThat(sleeps).containsExactly(Duration.ofMillis(10).toNanos(), Duration.ofMillis(20).toNanos());
  }

  @Test
  void aRefusedRequestFailsItsGenerationAtOnceWithoutTheKeyInTheMessage() throws Exception {
    String model = "refusing";
    server.serve(model, 4);
    ProbeCounters counters = new ProbeCounters();
    RadiusProbe probe = probe(model, Long.MAX_VALUE, counters);
    server.failNext(1, 401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-secret-123\"}}");
    List<String> reasons = new ArrayList<>();
    List<GenerationRadius> results = new ArrayList<>();

    RadiusProbe.Summary summary = probe.probeAll(samples(model, 2, 4), new RadiusProbe.Listener() {
      @Override
      public void probed(GenerationRadius result) {
        results.add(result);
      }

      @Override
      public void failed(ProbeSample sample, String reason) {
        reasons.add(reason);
      }
    });

    assertThat(summary).isEqualTo(new RadiusProbe.Summary(1, 1, 0, false));
    assertThat(counters.retries()).isZero();
    assertThat(reasons).singleElement().asString().contains("HTTP 401", "Incorrect API key").doesNotContain("sk-secret-123");
    assertThat(server.authorizations()).contains("Bearer sk-secret-123");
  }

  @Test
  void aTokenGeneratedAfterThePromptIsNotCounted() throws Exception {
    String model = "generates-one";
    server.serve(model, 8);
    ProbeSample sample = samples(model, 1, 5).get(0);
    GenerationRadius scoredOnly = probe(model, Long.MAX_VALUE, new ProbeCounters()).probe(sample);
    CompletionsClient client = new CompletionsClient(
        new CompletionsClient.Settings(server.uri(), model, null, 1, Duration.ZERO, Duration.ofSeconds(30), 1),
        HttpClient.newHttpClient(), RequestPacer.realTime(1000), nanos -> {}, new TokenBudget(Long.MAX_VALUE), new ProbeCounters());
    GenerationRadius withOne = new RadiusProbe(new RadiusProbe.Settings(new ContextLadder(1), 3, TOLERANCE), client).probe(sample);
    assertThat(withOne.curve()).isEqualTo(scoredOnly.curve());
  }

  @Test
  void unknownModelsAreAClearFailure() throws Exception {
    RadiusProbe probe = probe("no-such-model", Long.MAX_VALUE, new ProbeCounters());
    ProbeSample sample = samples("no-such-model", 1, 2).get(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> probe.probe(sample))
        .isInstanceOf(ProbeException.class).hasMessageContaining("HTTP 404").hasMessageContaining("does not exist");
  }

  private static RadiusProbe probe(String model, long budget, ProbeCounters counters) {
    return probe(model, budget, counters, nanos -> {});
  }

  private static RadiusProbe probe(String model, long budget, ProbeCounters counters, RequestPacer.Sleeper backoff) {
    return probe(model, budget, counters, backoff, 1000);
  }

  private static RadiusProbe probe(String model, long budget, ProbeCounters counters, RequestPacer.Sleeper backoff, double rate) {
    CompletionsClient client = new CompletionsClient(
        new CompletionsClient.Settings(server.uri(), model, "sk-secret-123", 3, Duration.ofMillis(10), Duration.ofSeconds(30)),
        HttpClient.newHttpClient(), RequestPacer.realTime(rate), backoff, new TokenBudget(budget), counters);
    return new RadiusProbe(new RadiusProbe.Settings(new ContextLadder(1), 3, TOLERANCE), client);
  }

  /** Passages of the corpus at random places: {@value #CONTEXT} characters of context, then {@value #TARGET} probed. */
  private static List<ProbeSample> samples(String model, int count, long seed) {
    Random random = new Random(seed);
    List<ProbeSample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int start = random.nextInt(corpus.length() - CONTEXT - TARGET);
      out.add(new ProbeSample(model + "-" + i, model, chars(corpus.substring(start, start + CONTEXT)),
          chars(corpus.substring(start + CONTEXT, start + CONTEXT + TARGET))));
    }
    return out;
  }

  private static List<String> chars(String s) {
    return s.codePoints().mapToObj(Character::toString).toList();
  }

  private static RadiusProbe.Listener listener(RadiusByModel byModel) {
    return new RadiusProbe.Listener() {
      @Override
      public void probed(GenerationRadius result) {
        byModel.add(result);
      }

      @Override
      public void failed(ProbeSample sample, String reason) {
        throw new AssertionError(reason);
      }
    };
  }
}
