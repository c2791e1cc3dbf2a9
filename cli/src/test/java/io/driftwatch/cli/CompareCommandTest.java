package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.contract.EventCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwatch compare} on score files of two scorings of one archive, one with a repetition loop in
 * every fifth row: the loop scores differ, the changed rows are those rows, every output is written, and
 * an archive name that is markup stays text in the HTML report.
 */
class CompareCommandTest {

  /** Scores both archives and writes them to dir: before.scores.jsonl (+ alerts), after.scores.jsonl (+ alerts). */
  static void scoreBoth(Path dir) throws Exception {
    Path[] archives = ArchiveFixtures.steadyAndDrifted(dir, 100);
    for (String[] run : new String[][] {{"before", "before"}, {"after", "after"}}) {
      Path archive = run[0].equals("before") ? archives[0] : archives[1];
      ArchiveFixtures.Run r = ArchiveFixtures.run("score", "--no-semantic", archive.toString(), "--run-id", run[1], "--output",
          dir.resolve(run[0] + ".scores.jsonl").toString(), "--alerts", dir.resolve(run[0] + ".alerts.jsonl").toString());
      assertThat(r.status()).as(r.err()).isZero();
    }
  }

  @Test
  void comparesTwoScoringsOfOneArchiveAndWritesEveryOutput(@TempDir Path dir) throws Exception {
    scoreBoth(dir);
    Path html = dir.resolve("report.html");
    Path csv = dir.resolve("report.csv");
    Path json = dir.resolve("report.json");
    ArchiveFixtures.Run compare = ArchiveFixtures.run("compare", dir.resolve("before.scores.jsonl").toString(),
        dir.resolve("before.alerts.jsonl").toString(), dir.resolve("after.scores.jsonl").toString(),
        dir.resolve("after.alerts.jsonl").toString(), "--html", html.toString(), "--csv", csv.toString(), "--json", json.toString());
    assertThat(compare.status()).as(compare.err()).isZero();
    System.out.print(compare.out()); // the figures docs/compare.md quotes
    assertThat(compare.out()).startsWith("baseline before (100 generations); after (100)");
    assertThat(compare.out().lines().filter(l -> l.startsWith("repetition_rate") || l.startsWith("loop_repeats")))
        .hasSize(2).allSatisfy(l -> assertThat(l).endsWith("differs"));
    assertThat(compare.out()).contains("rows that changed most (aligned: {after=100})");

    JsonNode report = EventCodec.MAPPER.readTree(json.toFile());
    // Rows line up by file and line: the 20 changed rows are the ones with the loop (lines 1, 6, 11, ...).
    assertThat(report.path("changed_rows")).hasSize(20);
    for (JsonNode row : report.path("changed_rows")) {
      int line = Integer.parseInt(row.path("row").asText().substring(ArchiveFixtures.HOSTILE_NAME.length() + 1));
      assertThat((line - 1) % 5).as(row.toString()).isZero();
    }
    assertThat(report.path("alert_rates").findValuesAsText("rule")).contains("loop");

    String table = Files.readString(csv);
    assertThat(table).startsWith("section,name,run,statistic,value\n")
        .contains("difference,\"repetition_rate\",\"after\",\"flagged\",1\n");

    String page = Files.readString(html, UTF_8);
    assertThat(page).doesNotContain("<img src=x").contains("prompts&lt;img src=x onerror=alert(1)&gt;.jsonl:1")
        .doesNotContain("src=\"http", "href=\"http");
  }

  @Test
  void badInputsStopWithOneLine(@TempDir Path dir) throws Exception {
    Path one = Files.writeString(dir.resolve("one.jsonl"), "{\"v\":1,\"generation_id\":\"g\",\"run_id\":\"r\",\"model\":\"m\","
        + "\"kind\":\"summary\",\"sentences\":1,\"first_seq\":0,\"last_seq\":3,\"tokens\":4,\"scores\":{\"x\":1.0}}\n");
    Path events = Files.writeString(dir.resolve("events.jsonl"), "{\"v\":1,\"type\":\"end\",\"generation_id\":\"g\",\"run_id\":\"r\"}\n");
    expectOneLine(new String[] {"compare", one.toString()}, "compare needs two runs with summary records; found r");
    expectOneLine(new String[] {"compare", one.toString(), one.toString()}, "these files share a run id: add --by-file");
    expectOneLine(new String[] {"compare", one.toString(), events.toString()}, "events.jsonl:1: neither a score record nor an alert event");
    expectOneLine(new String[] {"compare", one.toString(), dir.resolve("nope.jsonl").toString()}, "nope.jsonl: no such file");
    expectOneLine(new String[] {"compare", one.toString(), one.toString(), "--by-file", "--confidence", "2"}, "confidence");
    ArchiveFixtures.Run byFile = ArchiveFixtures.run("compare", one.toString(), Files.copy(one, dir.resolve("two.jsonl")).toString(), "--by-file");
    assertThat(byFile.status()).isZero();
    // One generation a run: said before any number.
    assertThat(byFile.out()).startsWith("A run has fewer than 20 generations");
  }

  private static void expectOneLine(String[] args, String part) {
    ArchiveFixtures.Run run = ArchiveFixtures.run(args);
    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    assertThat(run.err()).contains(part).doesNotContain("Exception", "\tat ");
  }
}
