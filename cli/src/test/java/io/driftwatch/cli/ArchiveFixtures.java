package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.producers.demo.DemoCorpus;
import io.driftwatch.producers.demo.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Archives of every format replay and score read, made from demo scenario texts, and a way to run the CLI. */
final class ArchiveFixtures {

  /** An archive name that is HTML with a script in it. */
  static final String HOSTILE_NAME = "prompts<img src=x onerror=alert(1)>.jsonl";

  private ArchiveFixtures() {}

  /** The generated texts and prompts of {@code n} demo scripts, one scenario after another. */
  static List<String[]> texts(int n, long seed) {
    DemoCorpus corpus = DemoCorpus.load();
    Random random = new Random(seed);
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Scenario.Script script = Scenario.values()[i % Scenario.values().length].script(corpus, random, 120);
      out.add(new String[] {script.prompt(), String.join("", script.tokens())});
    }
    return out;
  }

  /**
   * Two archives of the same {@code n} prompts as JSON lines: the second has a repetition loop instead of
   * the steady continuation in every fifth row (20%), as a drifted model would. Run ids in the scores say which is which.
   */
  static Path[] steadyAndDrifted(Path dir, int n) throws IOException {
    DemoCorpus corpus = DemoCorpus.load();
    Random steady = new Random(41);
    Random loops = new Random(42);
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Scenario.Script s = Scenario.STEADY.script(corpus, steady, 120);
      before.append(row(s.prompt(), String.join("", s.tokens()), "completion")).append('\n');
      if (i % 5 == 0) {
        Scenario.Script loop = Scenario.REPETITION_LOOP.script(corpus, loops, 120);
        after.append(row(s.prompt(), String.join("", loop.tokens()), "completion")).append('\n');
      } else {
        after.append(row(s.prompt(), String.join("", s.tokens()), "completion")).append('\n');
      }
    }
    // One archive name in two folders: ids <run id>:<name>:<line> line up row by row. The name is markup,
    // as any name from outside may be: reports must show it as text.
    return new Path[] {Files.writeString(Files.createDirectories(dir.resolve("before")).resolve(HOSTILE_NAME), before),
        Files.writeString(Files.createDirectories(dir.resolve("after")).resolve(HOSTILE_NAME), after)};
  }

  static String row(String prompt, String text, String textField) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("prompt", prompt);
    row.put(textField, text);
    row.put("model", "archived-model");
    return new String(EventCodec.toJson(row), UTF_8);
  }

  /**
   * A folder with a JSON array of rows, a JSON-lines file of rows (with a field other than the first
   * default), and a captured OpenAI stream, in a subfolder.
   */
  static Path folderOfArchives(Path dir) throws IOException {
    List<String[]> t = texts(7, 11);
    Path folder = Files.createDirectories(dir.resolve("archives"));
    Files.writeString(folder.resolve("rows.json"), "[\n" + row(t.get(0)[0], t.get(0)[1], "completion") + ",\n"
        + row(t.get(1)[0], t.get(1)[1], "output") + "\n]\n");
    Files.writeString(folder.resolve("rows.jsonl"), row(t.get(2)[0], t.get(2)[1], "response") + "\n"
        + row(t.get(3)[0], t.get(3)[1], "text") + "\n" + row(t.get(4)[0], t.get(4)[1], "generated_text") + "\n");
    Path sub = Files.createDirectories(folder.resolve("captures"));
    Files.writeString(sub.resolve("stream.sse"), sse("c1", t.get(5)[1]) + sse("c2", t.get(6)[1]));
    // Hidden files and folders are skipped: read, these would stop the command (no generation in them).
    Files.writeString(folder.resolve(".notes.jsonl"), "not an archive\n");
    Files.writeString(Files.createDirectories(folder.resolve(".cache")).resolve("junk.jsonl"), "not an archive\n");
    return folder;
  }

  /** One chat completion streamed word by word, as an OpenAI-compatible server sends it. */
  static String sse(String id, String text) {
    StringBuilder out = new StringBuilder();
    for (String piece : text.split("(?<= )")) {
      Map<String, Object> delta = Map.of("content", piece);
      out.append("data: ").append(new String(EventCodec.toJson(Map.of("id", id, "object", "chat.completion.chunk", "created", 1767225600,
          "model", "gpt-x", "choices", List.of(Map.of("index", 0, "delta", delta)))), UTF_8)).append("\n\n");
    }
    out.append("data: ").append(new String(EventCodec.toJson(Map.of("id", id, "object", "chat.completion.chunk", "created", 1767225600,
        "model", "gpt-x", "choices", List.of(Map.of("index", 0, "delta", Map.of(), "finish_reason", "stop")))), UTF_8)).append("\n\n");
    return out.append("data: [DONE]\n\n").toString();
  }

  /** What one run of the CLI printed, and its exit status. */
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    System.setOut(new PrintStream(out, true, UTF_8));
    System.setErr(new PrintStream(err, true, UTF_8));
    int status;
    try {
      var cli = Driftwatch.commandLine();
      cli.setErr(new java.io.PrintWriter(System.err, true));
      status = cli.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
  }
}
