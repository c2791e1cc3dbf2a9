package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score} reads every archive {@code replay} reads, through the same reader: a folder of a JSON
 * array, JSON lines and an SSE capture (and hidden files, skipped) scores byte for byte as the events {@code replay --output}
 * writes for it; and each bad input stops with one line, before any model loads.
 */
class ScoreArchivesTest {

  private static final String T = "2026-12-01T08:00:00Z";

  @Test
  void aFolderOfArchivesScoresAsTheEventsReplayWritesForIt(@TempDir Path dir) throws Exception {
    Path folder = ArchiveFixtures.folderOfArchives(dir);
    Path events = dir.resolve("events.jsonl.gz");

    ArchiveFixtures.Run replay = ArchiveFixtures.run("replay", folder.toString(), "--run-id", "r1", "--time", T, "--output", events.toString());
    assertThat(replay.status()).as(replay.err()).isZero();
    assertThat(replay.err()).contains("replayed 3 file(s) as run r1", "7 generations");

    ArchiveFixtures.Run direct = ArchiveFixtures.run("score", "--no-semantic", folder.toString(), "--run-id", "r1", "--time", T);
    ArchiveFixtures.Run viaEvents = ArchiveFixtures.run("score", "--no-semantic", events.toString());
    assertThat(direct.status()).as(direct.err()).isZero();
    assertThat(viaEvents.status()).as(viaEvents.err()).isZero();
    assertThat(direct.out()).isEqualTo(viaEvents.out());

    List<String> summaries = direct.out().lines().filter(l -> l.contains("\"kind\":\"summary\"")).toList();
    assertThat(summaries).hasSize(7);
    // Ids say where each generation came from: run, file, row (or stream).
    assertThat(direct.out()).contains("\"generation_id\":\"r1:rows.json:2\"", "\"generation_id\":\"r1:rows.jsonl:3\"",
        "\"generation_id\":\"r1:stream.sse:1#0\"", "\"model\":\"gpt-x\"", "\"model\":\"archived-model\"");
  }

  @Test
  void eachFormatAloneAndFromStandardInputScoresTheSameAsInTheFolder(@TempDir Path dir) throws Exception {
    Path folder = ArchiveFixtures.folderOfArchives(dir);
    String all = ArchiveFixtures.run("score", "--no-semantic", folder.toString(), "--run-id", "r", "--time", T).out();
    StringBuilder oneByOne = new StringBuilder();
    for (Path file : List.of(folder.resolve("captures/stream.sse"), folder.resolve("rows.json"), folder.resolve("rows.jsonl"))) {
      ArchiveFixtures.Run run = ArchiveFixtures.run("score", "--no-semantic", file.toString(), "--run-id", "r", "--time", T);
      assertThat(run.status()).as(run.err()).isZero();
      oneByOne.append(run.out());
    }
    // The folder is read in path order: captures/ first.
    assertThat(oneByOne.toString()).isEqualTo(all);

    Path gz = dir.resolve("rows.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(folder.resolve("rows.jsonl")));
    }
    var originalIn = System.in;
    System.setIn(Files.newInputStream(gz));
    try {
      ArchiveFixtures.Run stdin = ArchiveFixtures.run("score", "--no-semantic", "-", "--run-id", "r", "--time", T);
      assertThat(stdin.status()).as(stdin.err()).isZero();
      String plain = ArchiveFixtures.run("score", "--no-semantic", folder.resolve("rows.jsonl").toString(), "--run-id", "r", "--time", T).out();
      assertThat(stdin.out()).isEqualTo(plain.replace("r:rows.jsonl:", "r:stdin:"));
    } finally {
      System.setIn(originalIn);
    }
  }

  @Test
  void replayingAnEventsFilePutsItsGenerationsUnderTheReplaysRunId(@TempDir Path dir) throws Exception {
    Path folder = ArchiveFixtures.folderOfArchives(dir);
    Path events = dir.resolve("events.jsonl");
    assertThat(ArchiveFixtures.run("replay", folder.toString(), "--run-id", "first", "--time", T, "--output", events.toString()).status())
        .isZero();
    Path again = dir.resolve("again.jsonl");
    ArchiveFixtures.Run replay = ArchiveFixtures.run("replay", events.toString(), "--run-id", "second", "--output", again.toString());
    assertThat(replay.status()).as(replay.err()).isZero();
    assertThat(replay.err()).contains("as run second (generation ids second:...)", "7 generations");
    // New ids, so the monitor, which remembers the first ones as closed, scores them again; same events otherwise.
    assertThat(Files.readString(again)).isEqualTo(Files.readString(events)
        .replace("\"generation_id\":\"first:", "\"generation_id\":\"second:first:").replace("\"run_id\":\"first\"", "\"run_id\":\"second\""));
  }

  @Test
  void badInputsStopWithOneLineNamingTheFileBeforeAnyModelLoads(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("good.jsonl"), ArchiveFixtures.row("p", "Some text. More text.", "text") + "\n");
    Path noText = Files.writeString(dir.resolve("notext.jsonl"), "{\"prompt\": \"a\", \"reply\": \"b\"}\n{\"prompt\": \"c\", \"reply\": \"d\"}\n");
    Path empty = Files.writeString(dir.resolve("empty.json"), "");
    Path brokenGzip = Files.write(dir.resolve("broken.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    Path emptyFolder = Files.createDirectories(dir.resolve("nothing-here"));
    Files.writeString(emptyFolder.resolve("notes.txt"), "x");

    expectOneLine(new String[] {"score", good.toString(), dir.resolve("missing.jsonl").toString()},
        "missing.jsonl: no such file or folder");
    expectOneLine(new String[] {"score", emptyFolder.toString(), "--glob", "*.jsonl"},
        "nothing-here: a folder with no file matching --glob '*.jsonl'");
    expectOneLine(new String[] {"score", good.toString(), noText.toString()},
        "notext.jsonl: no generation found, read as rows (detected from its first bytes), which skipped 2 rows",
        "--text-field");
    expectOneLine(new String[] {"score", empty.toString()}, "empty.json: no generation found, read as rows");
    expectOneLine(new String[] {"score", good.toString(), "--format", "openai-sse"},
        "good.jsonl: no generation found, read as openai-sse (--format)");
    expectOneLine(new String[] {"score", brokenGzip.toString()}, "broken.jsonl.gz: cannot be read");
    expectOneLine(new String[] {"score", good.toString(), "--format", "csv"}, "--format must be auto, events, rows, json-array or openai-sse");
    expectOneLine(new String[] {"score", good.toString(), "--output", dir.resolve("no/such/folder/out.jsonl").toString()},
        "--output", "does not exist");
    expectOneLine(new String[] {"replay", good.toString(), noText.toString(), "--output", dir.resolve("ev.jsonl").toString()},
        "notext.jsonl: no generation found");
    expectOneLine(new String[] {"replay", good.toString(), "--bootstrap", "127.0.0.1:1"}, "Kafka is not reachable at 127.0.0.1:1",
        "--output");
    // Nothing of a bad command is written: the good file was not half replayed.
    assertThat(dir.resolve("ev.jsonl")).doesNotExist();
  }

  /** Exit 1, nothing on standard output, one line on standard error with the parts, no stack trace, no model loaded. */
  private static void expectOneLine(String[] args, String... parts) {
    ArchiveFixtures.Run run = ArchiveFixtures.run(args);
    assertThat(run.status()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    assertThat(run.err()).contains(parts).doesNotContain("Exception", "\tat ", "loading", "model");
  }
}
