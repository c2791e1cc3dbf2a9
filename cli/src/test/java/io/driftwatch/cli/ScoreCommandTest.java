package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.text.SimpleTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

  @Test
  void scoresAFileAndAGzipOneAlikeAndKeepsBadLinesAsDeadLetters(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(json(new GenerationEvent.Start(1, "g", "r", "m", "Tell me about the sea.", null, Map.of(), T0)));
    long seq = 0;
    for (String t : SimpleTokenizer.tokenize("The sea was calm. The waves were small. I am sorry. I am sorry. I am sorry. I am sorry.")) {
      lines.add(json(new GenerationEvent.Token(1, "g", seq, t, null, null, null, T0.plusMillis(20 * seq))));
      seq++;
    }
    lines.add("{this is not json");
    lines.add(json(new GenerationEvent.End(1, "g", "stop", T0.plusSeconds(2))));
    Path plain = Files.write(dir.resolve("events.jsonl"), lines, UTF_8);
    Path gzip = dir.resolve("events.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      out.write(Files.readAllBytes(plain));
    }

    Path dead = dir.resolve("dead.jsonl");
    String fromPlain = run("score", plain.toString(), "--dead-letters", dead.toString());
    String fromGzip = run("score", gzip.toString());
    assertThat(fromPlain).isEqualTo(fromGzip);
    List<String> records = fromPlain.lines().toList();
    assertThat(records).hasSizeGreaterThan(3);
    assertThat(records.get(records.size() - 1)).contains("\"kind\":\"summary\"", "\"close_reason\":\"end:stop\"");
    assertThat(Files.readString(dead)).contains("\"reason\":\"json.malformed\"", "\"source_offset\":" + (lines.size() - 1));
  }

  @Test
  void shedAsScoresTheGenerationsAMonitorShedWithoutSemanticScoresAndTheOthersAsBefore(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String id : List.of("kept", "shed")) {
      lines.add(json(new GenerationEvent.Start(1, id, "r", "m", "Tell me about the harbour.", null, Map.of(), T0)));
      long seq = 0;
      for (String t : SimpleTokenizer.tokenize("The harbour was quiet at dawn. Boats rocked at their moorings. "
          + "A gull cried over the water. The fishermen came down the hill with their nets.")) {
        lines.add(json(new GenerationEvent.Token(1, id, seq, t, null, null, null, T0.plusMillis(20 * seq))));
        seq++;
      }
      lines.add(json(new GenerationEvent.End(1, id, "stop", T0.plusSeconds(2))));
    }
    Path events = Files.write(dir.resolve("events.jsonl"), lines, UTF_8);
    // What kcat prints of a monitor run that shed "shed": any one of its records carries the flag.
    Path monitorRecords = Files.write(dir.resolve("monitor-scores.jsonl"), List.of(
        "{\"v\":1,\"generation_id\":\"shed\",\"run_id\":\"r\",\"model\":\"m\",\"kind\":\"sentence\",\"sentence\":0,"
            + "\"sentences\":1,\"first_seq\":0,\"last_seq\":6,\"tokens\":7,\"scores\":{},\"flags\":[\"semantic_shed\"],"
            + "\"event_time\":\"2026-11-24T06:00:00Z\"}",
        "",
        "{\"v\":1,\"generation_id\":\"kept\",\"run_id\":\"r\",\"model\":\"m\",\"kind\":\"summary\",\"sentences\":4,"
            + "\"first_seq\":0,\"last_seq\":30,\"tokens\":31,\"scores\":{},\"flags\":[],\"event_time\":\"2026-11-24T06:00:02Z\"}"), UTF_8);

    List<String> plain = run("score", events.toString()).lines().toList();
    List<String> replayed = run("score", events.toString(), "--shed-as", monitorRecords.toString()).lines().toList();

    assertThat(only(replayed, "kept")).isEqualTo(only(plain, "kept"));
    assertThat(only(plain, "kept")).anyMatch(ScoreCommandTest::hasSemanticScores);
    assertThat(only(replayed, "shed")).hasSameSizeAs(only(plain, "shed")).allMatch(r -> r.contains("\"flags\":[\"semantic_shed\"]"))
        .noneMatch(ScoreCommandTest::hasSemanticScores);
  }

  @Test
  void shedAsRefusesAFileThatHoldsNoScoreRecordsNamingTheLine(@TempDir Path dir) throws Exception {
    Path events = Files.write(dir.resolve("events.jsonl"),
        List.of(json(new GenerationEvent.Start(1, "g", "r", "m", "Hi.", null, Map.of(), T0))), UTF_8);
    Path alerts = Files.write(dir.resolve("alerts.jsonl"), List.of(
        "{\"v\":1,\"generation_id\":\"g\",\"rule\":\"loop\",\"score\":\"loop_repeats\",\"state\":\"firing\"}"), UTF_8);
    Path empty = Files.write(dir.resolve("empty.jsonl"), List.of("", " "), UTF_8);

    assertThat(fails("score", events.toString(), "--shed-as", alerts.toString()))
        .contains("alerts.jsonl line 1 is not a score record");
    assertThat(fails("score", events.toString(), "--shed-as", empty.toString())).contains("holds no score records");
    assertThat(fails("score", events.toString(), "--shed-as", dir.resolve("missing.jsonl").toString())).contains("no such file");
  }

  @Test
  void aWrongIndexOrBaselineIsReportedBeforeTheOutputsAreOpenedSoTheLastRunsOutputIsKept(@TempDir Path dir) throws Exception {
    Path events = Files.write(dir.resolve("events.jsonl"),
        List.of(json(new GenerationEvent.Start(1, "g", "r", "m", "Hi.", null, Map.of(), T0))), UTF_8);
    Path output = Files.writeString(dir.resolve("scores.jsonl"), "the last run's scores\n");
    Path alerts = Files.writeString(dir.resolve("alerts.jsonl"), "the last run's alerts\n");

    assertThat(fails("score", events.toString(), "--no-semantic", "-o", output.toString(), "--alerts", alerts.toString(),
        "--baseline", dir.resolve("missing-baselines.json").toString())).contains("missing-baselines.json");
    assertThat(fails("score", events.toString(), "--no-semantic", "-o", output.toString(), "--alerts", alerts.toString(),
        "--index", dir.resolve("missing-index").toString())).contains("missing-index");
    assertThat(Files.readString(output)).isEqualTo("the last run's scores\n");
    assertThat(Files.readString(alerts)).isEqualTo("the last run's alerts\n");
  }

  private static boolean hasSemanticScores(String record) {
    return record.matches(".*\"(max_)?semantic_[a-z_]+\":-?[0-9].*");
  }

  private static List<String> only(List<String> records, String generation) {
    return records.stream().filter(r -> r.contains("\"generation_id\":\"" + generation + "\"")).toList();
  }

  private static String fails(String... args) {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = Driftwatch.commandLine();
    cli.setErr(new java.io.PrintWriter(err, true));
    assertThat(cli.execute(args)).isEqualTo(1);
    return err.toString();
  }

  private static String json(GenerationEvent event) {
    return new String(EventCodec.encode(event), UTF_8);
  }

  private static String run(String... args) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, UTF_8));
    try {
      assertThat(Driftwatch.commandLine().execute(args)).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString(UTF_8);
  }
}
