package io.driftwatch.scoring.radius;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures the effective context radius of one generation: the loss of its probed tokens given only the
 * last m tokens of context, for every m on the ladder, against the same tokens' loss at full context,
 * and the shortest m whose excess loss is within the tolerance. A generation is probed whole or not at all: it starts only when the budget
 * still holds all its requests, so a budget never leaves a half-measured curve behind.
 */
public final class RadiusProbe {

  /**
   * @param ladder the context lengths probed
   * @param batchSize prompts per request
   * @param tolerance nats per token above the full-context loss that still count as "as good as full"
   */
  public record Settings(ContextLadder ladder, int batchSize, double tolerance) {
    public Settings {
      if (batchSize < 1) {
        throw new IllegalArgumentException("a batch holds at least one prompt, not " + batchSize);
      }
      if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
        throw new IllegalArgumentException("the tolerance must be at least 0 nats per token, not " + tolerance);
      }
    }
  }

  /** Receives each generation's outcome, in order. */
  public interface Listener {
    void probed(GenerationRadius result);

    void failed(ProbeSample sample, String reason);
  }

  /**
   * How a run over many samples ended.
   *
   * @param budgetReached whether it stopped because the next generation did not fit the token budget
   */
  public record Summary(int probed, int failed, int notProbed, boolean budgetReached) {}

  private final Settings settings;
  private final CompletionsClient client;

  public RadiusProbe(Settings settings, CompletionsClient client) {
    this.settings = settings;
    this.client = client;
  }

  /** The tokens probing {@code sample} sends, retries aside. */
  public long cost(ProbeSample sample) {
    return prompts(sample).stream().mapToLong(ProbeSample.Prompt::tokens).sum();
  }

  /** Probes one generation. */
  public GenerationRadius probe(ProbeSample sample) throws ProbeException, InterruptedException {
    List<Integer> rungs = settings.ladder().rungs(sample.context().size());
    List<ProbeSample.Prompt> prompts = prompts(sample);
    long cost = cost(sample);
    if (!client.budget().fits(cost)) {
      throw new BudgetExhaustedException(cost, client.budget().limit() - client.budget().spent());
    }
    List<EchoedTarget> echoed = new ArrayList<>();
    for (int from = 0; from < prompts.size(); from += settings.batchSize()) {
      echoed.addAll(client.score(prompts.subList(from, Math.min(prompts.size(), from + settings.batchSize()))));
    }
    EchoedTarget full = echoed.get(echoed.size() - 1);
    List<Double> nll = new ArrayList<>();
    List<Double> reference = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      int length = prompts.get(i).targetLength();
      double ref = full.meanNllBefore(length);
      if (Double.isNaN(ref)) {
        throw new ProbeException(sample.id() + ": at full context no server token starts within the first " + length
            + " characters of the probed text, so the truncated prompts have nothing to be compared with");
      }
      nll.add(echoed.get(i).meanNllBefore(length));
      reference.add(ref);
    }
    LossCurve curve = new LossCurve(rungs, nll, reference);
    return new GenerationRadius(sample.id(), sample.model(), curve, curve.radius(settings.tolerance()), PowerLawFit.fit(curve),
        full.tokens());
  }

  /** Probes samples in order until they run out or the budget does; a failed generation does not stop the run. */
  public Summary probeAll(Iterable<ProbeSample> samples, Listener listener) throws InterruptedException {
    int probed = 0;
    int failed = 0;
    int notProbed = 0;
    boolean budgetReached = false;
    for (ProbeSample sample : samples) {
      if (budgetReached) {
        notProbed++;
        continue;
      }
      try {
        listener.probed(probe(sample));
        probed++;
      } catch (BudgetExhaustedException e) {
        budgetReached = true;
        notProbed++;
      } catch (ProbeException e) {
        failed++;
        listener.failed(sample, e.getMessage());
      }
    }
    return new Summary(probed, failed, notProbed, budgetReached);
  }

  /**
   * One prompt per rung: at a truncated length m, the first min(m, target) probed tokens, so that each
   * sees between m and 2m tokens of context (more would blur the rung into the next); at full context,
   * all of them.
   */
  private List<ProbeSample.Prompt> prompts(ProbeSample sample) {
    List<Integer> rungs = settings.ladder().rungs(sample.context().size());
    int target = sample.target().size();
    List<ProbeSample.Prompt> out = new ArrayList<>();
    for (int i = 0; i < rungs.size(); i++) {
      int m = rungs.get(i);
      out.add(sample.prompt(m, i == rungs.size() - 1 ? target : Math.min(m, target)));
    }
    return out;
  }
}
