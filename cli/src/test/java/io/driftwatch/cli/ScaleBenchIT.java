package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.benchmarks.scale.ScaleOutBenchmark;
import io.driftwatch.benchmarks.scale.ScalePlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bench scale} end to end: real {@code driftwatch run} JVMs against the embedded 3-node cluster.
 * The instances' own token counts add up to the workload in every run (each token scored once, by
 * one instance), and with two instances both took part.
 */
class ScaleBenchIT {

  private static final Pattern ROUND = Pattern.compile("round 1, (\\d) instances?: .* tokens scored by each: ([\\d +]+)");

  @Test
  void instancesShareTheWorkloadAndEveryTokenIsScoredOnce() throws Exception {
    ScalePlan plan = new ScalePlan(30, 64, 16, 2, 1, false, false, System.getProperty("java.class.path"), Driftwatch.class.getName());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ScaleOutBenchmark(plan, new PrintStream(bytes, true, UTF_8)).run();
    String out = bytes.toString(UTF_8);

    assertThat(out).contains("catch-up throughput", "30 generations x 64 tokens = 1,920 tokens in");
    Matcher m = ROUND.matcher(out);
    int runs = 0;
    while (m.find()) {
      runs++;
      int instances = Integer.parseInt(m.group(1));
      List<Long> each = Arrays.stream(m.group(2).trim().split(" \\+ ")).map(Long::parseLong).toList();
      assertThat(each).as(out).hasSize(instances);
      assertThat(each.stream().mapToLong(Long::longValue).sum()).as(out).isEqualTo(1_920);
      if (instances == 2) {
        assertThat(each).as("both instances scored tokens:\n" + out).allMatch(t -> t > 0);
      }
    }
    assertThat(runs).as(out).isEqualTo(2);
  }
}
