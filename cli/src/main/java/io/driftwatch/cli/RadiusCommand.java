package io.driftwatch.cli;

import io.driftwatch.producers.replay.ArchiveReader;
import io.driftwatch.producers.text.TokenSplitter;
import io.driftwatch.scoring.radius.CompletionsClient;
import io.driftwatch.scoring.radius.ContextLadder;
import io.driftwatch.scoring.radius.GenerationRadius;
import io.driftwatch.scoring.radius.ProbeCounters;
import io.driftwatch.scoring.radius.ProbeSample;
import io.driftwatch.scoring.radius.RadiusByModel;
import io.driftwatch.scoring.radius.RadiusProbe;
import io.driftwatch.scoring.radius.RequestPacer;
import io.driftwatch.scoring.radius.TokenBudget;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftwatch probe radius}: the effective context radius of a served model, measured on a sample
 * of its archived generations through an OpenAI-compatible completions endpoint (docs/radius.md).
 */
@Command(
    name = "radius",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure the effective context radius of a served model: for a sample of its generations from archives, the loss "
          + "of their last generated tokens given only the last m tokens of context, for m = 8, 16, 32, ... and the full "
          + "context, and the shortest m whose loss is within --tolerance of the full-context loss. Asks the endpoint's "
          + "/v1/completions for prompt logprobs (echo, logprobs, max_tokens 0); never touches the traffic it measures.",
      "Reads every archive replay and score read. The table goes to standard output, progress and the summary to "
          + "standard error.",
      ""
    })
final class RadiusCommand implements Callable<Integer> {

  private static final int MAX_FAILURES_SHOWN = 3;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Archives (.gz allowed), folders of them, or - for standard input.")
  List<String> files;

  @Option(names = "--endpoint", paramLabel = "URL", required = true,
      description = "The OpenAI-compatible server: its root (http://gpu-box:8000) or its /v1.")
  String endpoint;

  @Option(names = "--model", paramLabel = "NAME", required = true,
      description = "The served model to ask; archive generations of other models are left out, unnamed ones are taken to be it.")
  String model;

  @Option(names = "--api-key-env", paramLabel = "VAR",
      description = "Environment variable holding the endpoint's API key, sent as a bearer token (default: none is sent).")
  String apiKeyEnv;

  @Mixin ArchiveOptions archive;

  @Option(names = "--sample", paramLabel = "N", defaultValue = "100",
      description = "Generations to probe, drawn uniformly from the archives (default: ${DEFAULT-VALUE}).")
  int sample;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the sample (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--target-tokens", paramLabel = "N", defaultValue = "16",
      description = "Last generated tokens of each generation whose loss is measured (default: ${DEFAULT-VALUE}).")
  int targetTokens;

  @Option(names = "--min-context", paramLabel = "N", defaultValue = "8",
      description = "Shortest context probed, the ladder's first rung; each next one doubles (default: ${DEFAULT-VALUE}).")
  int minContext;

  @Option(names = "--tolerance", paramLabel = "NATS", defaultValue = "0.05",
      description = "Excess loss, in nats per token, that still counts as as good as the full context (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "2",
      description = "Requests per second at most, retries included (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "Prompts per request (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--token-budget", paramLabel = "N", defaultValue = "200000",
      description = "Prompt tokens to send in all, retries included, counted in the archive's tokens; the probe stops "
          + "before a generation that would exceed it (default: ${DEFAULT-VALUE}).")
  long tokenBudget;

  @Option(names = "--attempts", paramLabel = "N", defaultValue = "4",
      description = "Attempts per request on connection errors, timeouts, 429 and 5xx, with doubling backoff from 1s (default: ${DEFAULT-VALUE}).")
  int attempts;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "0",
      description = "Tokens the server generates after each prompt: 0, or 1 for servers that refuse 0; never counted (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "60s", description = "Timeout of one request (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write JSON lines here: one per generation, then the model's.")
  Path output;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write the curves as CSV here: kind,id,model,context,nll,reference,excess.")
  Path csv;

  @Override
  public Integer call() throws IOException, InterruptedException {
    CliChecks.positive("--timeout", timeout);
    CompletionsClient.Settings clientSettings = clientSettings();
    RadiusProbe.Settings probeSettings = probeSettings();
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new UserFacingException("--rate must be a positive number of requests per second, not " + rate);
    }
    if (sample < 1 || targetTokens < 1 || tokenBudget < 1) {
      throw new UserFacingException("--sample, --target-tokens and --token-budget must be at least 1");
    }
    archive.check();
    List<ArchiveInputs.Archive> inputs = ArchiveInputs.resolve(files, archive.glob);
    OutputFiles.checkWritable("--output", output);
    OutputFiles.checkWritable("--csv", csv);
    List<ArchiveScan.Scanned> scanned = ArchiveScan.check(inputs, archive.forcedFormat(), archive.fields());

    TokenSplitter splitter = archive.tokenizer == null ? TokenSplitter.SIMPLE : new HuggingFaceTokenSplitter(archive.tokenizer);
    RadiusSamples drawn = new RadiusSamples(model, sample, targetTokens, minContext, splitter, seed);
    for (ArchiveScan.Scanned input : scanned) {
      ArchivePass.read(input, new ArchiveReader(archive.fields(), splitter), drawn, "reading");
    }
    List<ProbeSample> samples = drawn.samples();
    if (samples.isEmpty()) {
      throw new UserFacingException("no generation to probe: none of model '" + RadiusReport.printable(model) + "' with more than "
          + minContext + " tokens of context" + (drawn.otherModels().isEmpty() ? "" : "; the archives hold other models: "
          + RadiusReport.printable(String.join(", ", drawn.otherModels().keySet())) + " (pick one with --model)")
          + (drawn.tooShort() > 0 ? "; " + drawn.tooShort() + " were too short (see --min-context)" : ""));
    }

    ProbeCounters counters = new ProbeCounters();
    TokenBudget budget = new TokenBudget(tokenBudget);
    CompletionsClient client = new CompletionsClient(clientSettings, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        RequestPacer.realTime(rate), nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)), budget, counters);
    RadiusProbe probe = new RadiusProbe(probeSettings, client);
    long plannedTokens = samples.stream().mapToLong(probe::cost).sum();
    System.err.printf(Locale.ROOT, "Probing %d of %d generations of %s at %s: %d prompt tokens planned (budget %d), at most %s requests/s%n",
        samples.size(), drawn.eligible(), RadiusReport.printable(model), clientSettings.completionsUri(), plannedTokens, tokenBudget,
        java.math.BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString());

    RadiusByModel byModel = new RadiusByModel(samples.size(), tolerance);
    List<GenerationRadius> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    RadiusProbe.Summary summary;
    try (ProgressBar progress = ProgressBar.onStderr("probing", samples.size(), "generations")) {
      summary = probe.probeAll(samples, new RadiusProbe.Listener() {
        @Override
        public void probed(GenerationRadius result) {
          results.add(result);
          byModel.add(result);
          progress.advanceTo(results.size() + failures.size());
        }

        @Override
        public void failed(ProbeSample s, String reason) {
          failures.add(RadiusReport.printable(s.id()) + ": " + RadiusReport.printable(reason));
          progress.advanceTo(results.size() + failures.size());
        }
      });
    }
    failures.stream().limit(MAX_FAILURES_SHOWN).forEach(f -> System.err.println("failed: " + f));
    if (failures.size() > MAX_FAILURES_SHOWN) {
      System.err.println("... and " + (failures.size() - MAX_FAILURES_SHOWN) + " more failed generations");
    }
    System.err.printf(Locale.ROOT, "Probed %d generations, %d failed, %d not probed%s; %d requests (%d retries, %d failed attempts), "
            + "%d prompt tokens sent of a budget of %d.%n", summary.probed(), summary.failed(), summary.notProbed(),
        summary.budgetReached() ? " (token budget reached)" : "", counters.requests(), counters.retries(), counters.failedAttempts(),
        counters.tokensSent(), tokenBudget);
    if (results.isEmpty()) {
      throw new UserFacingException(summary.budgetReached()
          ? "the token budget does not hold one generation's requests; raise --token-budget or lower --target-tokens"
          : "no generation could be probed; the first failure: " + failures.get(0));
    }
    RadiusByModel.ModelRadius radius = byModel.model(model);
    System.out.print(RadiusReport.table(radius, results, tolerance));
    if (output != null) {
      Files.writeString(output, RadiusReport.jsonLines(radius, results, clientSettings.completionsUri().toString(), tolerance, counters,
          tokenBudget), StandardCharsets.UTF_8);
    }
    if (csv != null) {
      Files.writeString(csv, RadiusReport.csv(radius, results), StandardCharsets.UTF_8);
    }
    return summary.failed() > 0 ? 1 : 0;
  }

  private CompletionsClient.Settings clientSettings() {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new UserFacingException("--endpoint " + endpoint + " is not a URL: " + e.getReason());
    }
    String key = null;
    if (apiKeyEnv != null) {
      key = CliChecks.apiKeyFromEnv("--api-key-env", apiKeyEnv);
    }
    try {
      return new CompletionsClient.Settings(uri, model, key, attempts, Duration.ofSeconds(1), timeout, maxTokens);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException("--endpoint/--model/--attempts/--max-tokens: " + e.getMessage());
    }
  }

  private RadiusProbe.Settings probeSettings() {
    try {
      return new RadiusProbe.Settings(new ContextLadder(minContext), batch, tolerance);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException("--min-context/--batch/--tolerance: " + e.getMessage());
    }
  }
}
